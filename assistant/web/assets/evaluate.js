// The evaluation items (gr.HTML js_on_load): sort by a column's button, show only the failures
// (the default) or one pipeline, expand a row to its answer and citations.
const apply = () => {
  const only = element.querySelector('.only-failures')?.checked;
  const pipeline = element.querySelector('select.pipeline')?.value || '';
  let shown = 0;
  let total = 0;
  element.querySelectorAll('table.eval-table tbody tr.item').forEach((tr) => {
    total += 1;
    const ok = (!only || tr.classList.contains('failed')) && (!pipeline || tr.dataset.pipeline === pipeline);
    tr.hidden = !ok;
    if (ok) shown += 1;
    const detail = tr.nextElementSibling;
    if (detail?.classList.contains('detail')) {
      detail.hidden = !ok || tr.querySelector('.expand')?.getAttribute('aria-expanded') !== 'true';
    }
  });
  const status = element.querySelector('.shown');
  if (status) {
    status.textContent = !total ? '' : shown || !only ? `${shown} of ${total} rows shown`
      : 'No failing item here: untick “Failures only” to see every item.';
  }
};

const sort = (th, col) => {
  const table = th.closest('table');
  const body = table.tBodies[0];
  const dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
  table.querySelectorAll('th[aria-sort]').forEach((h) => h.setAttribute('aria-sort', 'none'));
  th.setAttribute('aria-sort', dir);
  const key = (tr) => tr.children[col]?.dataset.sort ?? tr.children[col]?.textContent ?? '';
  const rows = [...body.querySelectorAll('tr.item')].map((tr) => [
    tr, tr.nextElementSibling?.classList.contains('detail') ? tr.nextElementSibling : null,
  ]);
  rows.sort((a, b) => {
    const c = key(a[0]).localeCompare(key(b[0]), undefined, {numeric: true});
    return dir === 'ascending' ? c : -c;
  });
  rows.forEach(([tr, detail]) => {
    body.appendChild(tr);
    if (detail) body.appendChild(detail);
  });
};

element.addEventListener('click', (e) => {
  const button = e.target.closest('button.sort');
  if (button) {
    sort(button.closest('th'), Number(button.dataset.col));
    return;
  }
  const expand = e.target.closest('button.expand');
  if (expand) {
    const open = expand.getAttribute('aria-expanded') !== 'true';
    expand.setAttribute('aria-expanded', String(open));
    expand.textContent = open ? '▾' : '▸';
    const detail = document.getElementById(expand.getAttribute('aria-controls'));
    if (detail) detail.hidden = !open;
  }
});
element.addEventListener('change', apply);
watch('value', apply);
apply();
