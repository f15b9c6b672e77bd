// Replaces the preview's content when the extension sends a new rendering, keeping the scroll position.
(function () {
  const content = document.getElementById('content');
  window.addEventListener('message', (e) => {
    const msg = e.data;
    if (!msg || msg.type !== 'update' || typeof msg.html !== 'string' || !content) return;
    const y = window.scrollY;
    content.innerHTML = msg.html;
    window.scrollTo(0, y);
  });
})();
