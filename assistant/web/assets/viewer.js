// A source viewer (gr.HTML js_on_load). Centres the quoted passage inside the viewer's own text
// box, never scrolling the page; "Previous" / "Next" send 'move' to Python. The Chat tab's
// viewer is a side panel on a desktop and a drawer on a phone (window.praDrawer: opened by a
// marker or card, closed by its close button or Escape, focus back where it was).
const center = () => {
  const box = element.querySelector('.doc-scroll');
  const marks = element.querySelectorAll('mark.cited');
  if (!box || !marks.length) return;
  const b = box.getBoundingClientRect();
  if (!b.height) return; // hidden (a closed drawer): centred when it opens
  const top = marks[0].getBoundingClientRect().top;
  const height = marks[marks.length - 1].getBoundingClientRect().bottom - top;
  const offset = top - b.top + box.scrollTop;
  box.scrollTop = height < b.height - 16 ? offset - (b.height - height) / 2 : offset - 8;
};
watch('value', () => requestAnimationFrame(() => {
  window.praFit?.();
  center();
}));
requestAnimationFrame(center);

element.addEventListener('click', (e) => {
  const move = e.target.closest('.move');
  if (move && !move.disabled) {
    trigger('move', {delta: Number(move.dataset.move)});
    return;
  }
  if (e.target.closest('.drawer-close')) window.praDrawer?.close();
});

const panel = document.getElementById('viewer-panel');
if (panel && panel.contains(element)) {
  // On a desktop the panel reaches from where it stands (or sticks) to the window's bottom,
  // or to the end of the conversation's column, whichever comes first.
  const fit = () => {
    const top = Math.max(8, panel.getBoundingClientRect().top);
    const column = document.getElementById('chat-col')?.getBoundingClientRect().bottom ?? window.innerHeight;
    const bottom = Math.min(window.innerHeight, column);
    document.documentElement.style.setProperty('--pra-viewer-height', `${Math.max(240, bottom - top - 60)}px`);
  };
  window.addEventListener('scroll', fit, {passive: true});
  window.addEventListener('resize', fit);
  window.praFit = fit;
  fit();
  let opener = null;
  window.praDrawer = {
    open(from) {
      opener = from || document.activeElement;
      panel.dataset.open = 'true';
      document.body.style.overflow = 'hidden';
      panel.setAttribute('role', 'dialog');
      panel.setAttribute('aria-modal', 'true');
      panel.setAttribute('aria-label', 'Source');
      // the close button can take focus once the drawer is shown (Gradio's blocks fade in)
      const focus = (tries) => {
        const close = panel.querySelector('.drawer-close');
        close?.focus();
        if (close && document.activeElement !== close && tries) setTimeout(() => focus(tries - 1), 30);
        else center();
      };
      requestAnimationFrame(() => focus(20));
    },
    close() {
      delete panel.dataset.open;
      document.body.style.overflow = '';
      ['role', 'aria-modal', 'aria-label'].forEach((a) => panel.removeAttribute(a));
      if (opener && document.contains(opener)) opener.focus();
      opener = null;
    },
  };
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && panel.dataset.open) window.praDrawer.close();
  });
}
