// The body map on the observation form. A click on the outline chooses that place for the
// mark being filled in; the list in each mark does the same for the keyboard and screen
// readers, and the form works without this file.
(() => {
  const figure = document.querySelector("[data-body-map-input]");
  if (!figure) return;
  const section = figure.closest("details.body-map-input");
  const marks = Array.from(document.querySelectorAll("[data-mark]"));
  const regionOf = (mark) => mark.querySelector("select[name$='-region']");
  let active = marks.find((mark) => !regionOf(mark).value) || marks[0];

  if (section && window.location.hash === "#lichaamskaart") section.open = true;

  marks.forEach((mark) => {
    mark.addEventListener("focusin", () => { active = mark; });
    mark.addEventListener("toggle", () => { if (mark.open) active = mark; });
  });

  const highlight = () => {
    const chosen = new Set(marks.map((mark) => regionOf(mark).value).filter(Boolean));
    figure.querySelectorAll("[data-region]").forEach((shape) => {
      shape.classList.toggle("chosen", chosen.has(shape.dataset.region));
    });
  };

  figure.addEventListener("click", (event) => {
    const shape = event.target.closest("[data-region]");
    if (!shape || !active) return;
    const select = regionOf(active);
    select.value = shape.dataset.region;
    active.open = true;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    select.focus();
  });
  marks.forEach((mark) => regionOf(mark).addEventListener("change", highlight));
  highlight();
})();
