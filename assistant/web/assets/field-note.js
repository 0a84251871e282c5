// A note under a filter field (gr.HTML js_on_load): when it reports a problem, the filter panel
// opens so the message is seen beside its field.
watch('value', () => {
  if (element.querySelector('.field-error')) window.praFilters?.open();
});
