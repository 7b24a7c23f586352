// Small behaviour without inline scripts (the CSP allows only our own files).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
