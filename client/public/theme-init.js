// Sets the `dark` class on <html> before Angular starts, so the page does not flash light
// first. Keep the key and values in sync with client/src/app/core/layout/theme-store.ts.
(function () {
  var saved = null;
  try {
    saved = window.localStorage.getItem('nolose.theme');
  } catch (e) {
    saved = null;
  }
  var dark =
    saved === 'dark' ||
    (saved !== 'light' &&
      window.matchMedia &&
      window.matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.classList.toggle('dark', dark);
})();
