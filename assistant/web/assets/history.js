// Past conversations (gr.HTML js_on_load), kept in this browser's localStorage: each answer's
// record (conversation.js calls window.praHistory.save) is stored under its conversation. The
// list opens one ('restore': Python rebuilds the session from its records), deletes one, or
// starts a new conversation ('new'). At load the current conversation is restored, so a reload
// keeps it. Nothing leaves the browser except the records of the conversation being opened.
const KEY = 'police-response-assistant.conversations.v1';
const MAX = 30;
const phone = () => window.matchMedia('(max-width: 820px)').matches;
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]);
const empty = () => ({current: null, items: {}});
const read = () => {
  try {
    const store = JSON.parse(localStorage.getItem(KEY));
    return store && typeof store.items === 'object' ? store : empty();
  } catch (err) {
    return empty();
  }
};
const write = (store) => {
  for (;;) {
    try {
      localStorage.setItem(KEY, JSON.stringify(store));
      return;
    } catch (err) { // full: drop the oldest other conversation and try again
      const old = Object.keys(store.items).filter((id) => id !== store.current)
        .sort((a, b) => store.items[a].updated - store.items[b].updated);
      if (!old.length) return;
      delete store.items[old[0]];
    }
  }
};
const when = (t) => new Date(t).toLocaleString(undefined, {day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit'});

const render = () => {
  const store = read();
  const ids = Object.keys(store.items).sort((a, b) => store.items[b].updated - store.items[a].updated);
  const items = ids.map((id) => {
    const it = store.items[id];
    const current = id === store.current;
    const n = it.turns.filter(Boolean).length;
    return `<li class="${current ? 'current' : ''}"><button type="button" class="open" data-id="${esc(id)}"` +
      `${current ? ' aria-current="true"' : ''}><span class="title">${esc(it.title)}</span>` +
      `<span class="when">${esc(when(it.updated))} · ${n} answer${n === 1 ? '' : 's'}</span></button>` +
      `<button type="button" class="del" data-id="${esc(id)}" aria-label="Delete the conversation ${esc(it.title)}">×</button></li>`;
  }).join('');
  const open = element.querySelector('details.history-box')?.open ?? !phone();
  element.querySelector('.history').innerHTML =
    '<button type="button" class="new-chat" id="new-conversation">+ New conversation</button>' +
    `<details class="history-box"${open ? ' open' : ''}><summary>Past conversations (${ids.length})</summary>` +
    (ids.length ? `<ul class="history-list">${items}</ul>` :
      '<p class="history-empty">Your conversations are kept in this browser, and come back after a reload.</p>') +
    '</details>';
};

const restore = (id) => {
  const store = read();
  const item = store.items[id];
  if (!item) return;
  store.current = id;
  write(store);
  render();
  trigger('restore', {record: {id, turns: item.turns.filter(Boolean)}});
};

window.praHistory = {
  save(session, turn, record) {
    if (!session || !record) return;
    const store = read();
    const item = store.items[session] || {title: record.answer?.question || 'Conversation', turns: []};
    item.turns[turn] = record;
    item.turns.length = turn + 1;
    if (turn === 0) item.title = record.answer?.question || item.title;
    item.updated = Date.now();
    store.items[session] = item;
    store.current = session;
    const ids = Object.keys(store.items).sort((a, b) => store.items[b].updated - store.items[a].updated);
    ids.slice(MAX).forEach((id) => delete store.items[id]);
    write(store);
    render();
  },
  feedback(session, turn, rating) {
    const store = read();
    const record = store.items[session]?.turns[turn];
    if (!record) return;
    record.feedback = rating;
    write(store);
  },
};

element.addEventListener('click', (e) => {
  const open = e.target.closest('.open');
  if (open) {
    restore(open.dataset.id);
    return;
  }
  const del = e.target.closest('.del');
  if (del) {
    const store = read();
    delete store.items[del.dataset.id];
    const wasCurrent = store.current === del.dataset.id;
    if (wasCurrent) store.current = null;
    write(store);
    render();
    if (wasCurrent) trigger('new');
    return;
  }
  if (e.target.closest('.new-chat')) {
    const store = read();
    store.current = null;
    write(store);
    render();
    trigger('new');
    document.querySelector('#question textarea')?.focus();
  }
});

render();
const start = read();
if (start.current && start.items[start.current]?.turns?.some(Boolean)) setTimeout(() => restore(start.current), 0);
