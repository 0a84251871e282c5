// The conversation (gr.HTML js_on_load; `element` is the block, `trigger` sends an event to
// Python, `watch` runs after each update). A marker [n] or a source card opens that source in
// the viewer ('cite'); "Ask this on its own" asks the standalone question ('standalone'); the
// feedback buttons record a rating ('feedback'). After each update the latest answer's record
// is kept in the browser (history.js) and a new answer is brought into view.
const phone = () => window.matchMedia('(max-width: 820px)').matches;

const openCite = (turn, n, opener) => {
  element.querySelectorAll('.cite-card.active').forEach((c) => c.classList.remove('active'));
  element.querySelectorAll('.cite-open[aria-pressed="true"]').forEach((b) => b.setAttribute('aria-pressed', 'false'));
  const card = element.querySelector(`.cite-card[data-turn="${turn}"][data-n="${n}"]`);
  if (card) {
    card.classList.add('active');
    card.querySelector('.cite-open')?.setAttribute('aria-pressed', 'true');
  }
  if (phone()) window.praDrawer?.open(opener);
  trigger('cite', {turn: Number(turn), n: Number(n)});
};

const askExample = (question) => {
  const box = document.querySelector('#question textarea');
  if (!box) return;
  Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set.call(box, question);
  box.dispatchEvent(new Event('input', {bubbles: true}));
  setTimeout(() => document.querySelector('#ask-button')?.click(), 50);
};

element.addEventListener('click', (e) => {
  const t = e.target;
  const marker = t.closest('.cite-marker, .cite-open');
  if (marker) {
    e.preventDefault();
    openCite(marker.dataset.turn, marker.dataset.n, marker);
    return;
  }
  const card = t.closest('.cite-card');
  if (card && !String(window.getSelection() || '')) {
    openCite(card.dataset.turn, card.dataset.n, card.querySelector('.cite-open'));
    return;
  }
  const alone = t.closest('.ask-standalone');
  if (alone) {
    trigger('standalone', {turn: Number(alone.dataset.turn)});
    return;
  }
  const fb = t.closest('.fb');
  if (fb) {
    const comment = fb.closest('.feedback')?.querySelector('.fb-comment')?.value || '';
    const session = element.querySelector('.conversation')?.dataset.session;
    trigger('feedback', {turn: Number(fb.dataset.turn), rating: fb.dataset.rating, comment});
    window.praHistory?.feedback(session, Number(fb.dataset.turn), fb.dataset.rating);
    return;
  }
  const example = t.closest('.example');
  if (example) askExample(example.dataset.q);
});

// Previews of [n]: kept inside the window, and Escape hides one until the marker loses focus.
const place = (ref) => {
  const pv = ref?.querySelector('.cite-preview');
  if (!pv) return;
  pv.style.left = '0px';
  const r = pv.getBoundingClientRect();
  const over = r.right - (window.innerWidth - 8);
  if (over > 0) pv.style.left = `${-Math.min(over, ref.getBoundingClientRect().left - 8)}px`;
};
element.addEventListener('mouseover', (e) => place(e.target.closest?.('.cite-ref')));
element.addEventListener('focusin', (e) => place(e.target.closest?.('.cite-ref')));
element.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') e.target.closest?.('.cite-ref')?.classList.add('pv-off');
});
element.addEventListener('focusout', (e) => e.target.closest?.('.cite-ref')?.classList.remove('pv-off'));

let seen = Number(element.querySelector('.conversation')?.dataset.turns || 0);
let scrolled = -1;
const landed = () => {
  const conv = element.querySelector('.conversation');
  if (!conv) return;
  const save = conv.querySelector('.save');
  if (save) {
    try {
      window.praHistory?.save(conv.dataset.session, Number(save.dataset.turn), JSON.parse(save.dataset.record));
    } catch (err) {
      console.warn('the answer could not be kept in this browser', err);
    }
  }
  const turns = Number(conv.dataset.turns);
  const last = conv.querySelector('.turn:last-of-type');
  const index = Number(last?.dataset.turn ?? -1);
  if (last && index !== scrolled && (turns > seen || last.classList.contains('pending'))) {
    // below the question box where it is kept at the top (a phone), else at the top
    const dock = document.getElementById('dock');
    const dockTop = dock && getComputedStyle(dock).position === 'sticky' && getComputedStyle(dock).top === '0px';
    const offset = dockTop ? dock.getBoundingClientRect().height + 8 : 8;
    window.scrollTo({top: last.getBoundingClientRect().top + window.scrollY - offset});
    scrolled = index;
  }
  seen = turns;
  window.praFit?.(); // the viewer's height follows the conversation's column
};
watch('value', landed);
