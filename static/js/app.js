// Small behaviour without inline scripts (the CSP allows only our own files).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// Quick hide: blank the screen at once, then lock the session on the server, so that
// coming back asks for the password. Alt+H, or Escape twice within a second.
(() => {
  const body = document.body;
  const lockUrl = body.dataset.lockUrl;
  if (!lockUrl) return;
  const hide = () => {
    body.classList.add("hidden-now");
    const form = document.querySelector("form.quick-hide");
    if (form) form.submit();
  };
  let lastEscape = 0;
  document.addEventListener("keydown", (event) => {
    if (event.altKey && (event.key === "h" || event.key === "H")) {
      event.preventDefault();
      hide();
    } else if (event.key === "Escape") {
      const now = Date.now();
      if (now - lastEscape < 1000) hide();
      lastEscape = now;
    }
  });
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-quick-hide]")) body.classList.add("hidden-now");
  });

  // A minute before the idle sign-out, warn; "stay signed in" renews the session.
  const idle = parseInt(body.dataset.idleSeconds || "0", 10);
  const warning = document.querySelector("[data-idle-warning]");
  if (!idle || !warning) return;
  let timer;
  const arm = () => {
    clearTimeout(timer);
    warning.hidden = true;
    timer = setTimeout(() => { warning.hidden = false; }, Math.max(idle - 60, 1) * 1000);
  };
  warning.querySelector("[data-stay]").addEventListener("click", () => {
    fetch(window.location.href, { method: "HEAD", credentials: "same-origin" }).then(arm);
  });
  arm();
})();
