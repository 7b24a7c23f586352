// Forms that come back with errors: the error summary at the top is focused, so that a
// screen reader announces it and the keyboard starts there; each of its links moves the
// focus to its field (issue 24). No inline scripts: the CSP allows only our own files.
(() => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.scrollIntoView({ block: "center" });
  }
  document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    const field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    // A closed disclosure (a move, the noodsituatie) opens before its field is focused.
    const details = field.closest("details");
    if (details) details.open = true;
    field.focus();
    field.scrollIntoView({ block: "center" });
  });
})();

// A field that belongs to one answer of another (the organisation when the consultation
// is with an organisation): shown only for that answer. Without JS every field shows.
(() => {
  const dependents = document.querySelectorAll("[data-show-when]");
  if (!dependents.length) return;
  const update = () => {
    dependents.forEach((element) => {
      const form = element.closest("form");
      const inputs = form ? form.querySelectorAll(`[name="${element.dataset.showWhen}"]`) : [];
      let value = "";
      inputs.forEach((input) => {
        if ((input.type !== "radio" && input.type !== "checkbox") || input.checked) {
          value = input.value;
        }
      });
      const shown = element.dataset.showValues.split(" ").includes(value);
      // A field with an error stays visible whatever the answer, so the error is seen.
      element.hidden = !shown && !element.classList.contains("has-error");
    });
  };
  document.addEventListener("change", update);
  update();
})();
