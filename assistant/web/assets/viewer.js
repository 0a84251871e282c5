// The source viewer (gr.HTML js_on_load): scroll the quoted passage into view whenever the value changes.
const show = () => {
  const m = element.querySelector('mark');
  if (m) m.scrollIntoView({block: 'center', behavior: 'instant'});
};
watch('value', show);
show();
