// Citation cards (gr.HTML js_on_load; `element` is the HTML block, `trigger` sends an event to Python).
// A click on a card, or on a marker link in the chat ([n] -> #cite-TURN-N), tells Python which
// citation to open. One document-level listener (capture phase, so the chatbot's own link
// handling never navigates) serves every marker of every turn.
const openCite = (turn, n) => trigger('click', {turn: Number(turn), n: Number(n)});
window.__openCite = openCite;  // the latest mount's trigger, for the marker listener below
element.addEventListener('click', (e) => {
  const card = e.target.closest('[data-cite-n]');
  if (card) openCite(card.dataset.citeTurn, card.dataset.citeN);
});
element.addEventListener('keydown', (e) => {
  const card = e.target.closest('[data-cite-n]');
  if (card && (e.key === 'Enter' || e.key === ' ')) {
    e.preventDefault();
    openCite(card.dataset.citeTurn, card.dataset.citeN);
  }
});
if (!window.__citeMarkers) {
  window.__citeMarkers = true;
  document.addEventListener('click', (e) => {
    const a = e.target.closest && e.target.closest('a[href^="#cite-"]');
    if (!a) return;
    const m = a.getAttribute('href').match(/^#cite-(\d+)-(\d+)$/);
    if (!m) return;
    e.preventDefault(); e.stopPropagation();
    window.__openCite(m[1], m[2]);
  }, true);
}
