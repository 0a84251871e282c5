// The Compare grid (gr.HTML js_on_load): a click on a cell sends its key ("topic index:force index") to Python.
element.addEventListener('click', (e) => {
  const cell = e.target.closest('[data-cell]');
  if (cell) trigger('click', {cell: cell.dataset.cell});
});
element.addEventListener('keydown', (e) => {
  const cell = e.target.closest('[data-cell]');
  if (cell && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); trigger('click', {cell: cell.dataset.cell}); }
});
