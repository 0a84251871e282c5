// The filter chips (gr.HTML js_on_load): "Filters" opens or closes the filter panel (the
// dock's data-filters, which app.css reads); × on a chip removes that filter ('remove' to Python).
const dock = () => document.getElementById('dock') || document.body;
const sync = () => {
  const open = dock().dataset.filters === 'open';
  element.querySelector('.chip-toggle')?.setAttribute('aria-expanded', String(open));
};
window.praFilters = {
  open() {
    dock().dataset.filters = 'open';
    sync();
  },
};
element.addEventListener('click', (e) => {
  const x = e.target.closest('.chip-x');
  if (x) {
    trigger('remove', {field: x.dataset.field, value: x.dataset.value});
    return;
  }
  if (e.target.closest('.chip-toggle')) {
    if (dock().dataset.filters === 'open') delete dock().dataset.filters;
    else {
      dock().dataset.filters = 'open';
      setTimeout(() => document.querySelector('#filter-force input')?.focus(), 0);
    }
    sync();
  }
});
watch('value', sync);
sync();
