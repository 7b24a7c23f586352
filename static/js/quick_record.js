// Snel vastleggen: a type-ahead for the pupil and a filter over the signalenlijst.
// Without this file the form still works: "Zoeken" finds the pupil on the server.
(() => {
  const form = document.querySelector("[data-quick-record]");
  if (!form) return;

  // --- The pupil: a combobox with a listbox of the pupils found --------------------
  const input = form.querySelector("[data-pupil-input]");
  const list = form.querySelector("[data-pupil-options]");
  const status = form.querySelector("[data-pupil-status]");
  const openCase = form.querySelector("[data-open-case]");
  const openCaseLink = form.querySelector("[data-open-case-link]");
  let hidden = form.querySelector('input[type="hidden"][name="pupil"]');
  const searchButton = form.querySelector("[data-pupil-search-button]");
  if (input && list && hidden) {
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    // The type-ahead replaces "Zoeken"; then Enter in a field saves, as in any form.
    if (searchButton) searchButton.remove();
    let results = [];
    let active = -1;
    let timer;
    let asked = 0;

    const close = () => {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    };
    const showOpenCase = (found) => {
      if (!openCase) return;
      openCase.hidden = !found;
      if (found) {
        openCaseLink.href = found.url;
        openCaseLink.textContent = found.label;
        const existing = openCase.querySelector('input[name="bestemming"][value="bestaande"]');
        if (existing) existing.checked = true;
      }
    };
    const choose = (index) => {
      const pupil = results[index];
      if (!pupil) return;
      hidden.value = pupil.id;
      input.value = pupil.label;
      close();
      showOpenCase(pupil.open_case);
      status.textContent = pupil.open_case
        ? `${pupil.label}: ${openCase.querySelector("strong").textContent} ${pupil.open_case.label}`
        : pupil.label;
    };
    const highlight = (index) => {
      const items = list.querySelectorAll("[role=option]");
      items.forEach((item, i) => item.setAttribute("aria-selected", String(i === index)));
      active = index;
      if (items[index]) input.setAttribute("aria-activedescendant", items[index].id);
    };
    const render = (data) => {
      results = data.results;
      list.replaceChildren();
      results.forEach((pupil, i) => {
        const item = document.createElement("li");
        item.id = `qr-pupil-${pupil.id}`;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = pupil.label;
        if (pupil.open_case) {
          const note = document.createElement("span");
          note.className = "qr-note";
          note.textContent = ` · ${list.dataset.openNote || ""}`;
          item.append(note);
        }
        item.addEventListener("mousedown", (event) => event.preventDefault());
        item.addEventListener("click", () => choose(i));
        list.append(item);
      });
      if (!results.length) {
        status.textContent = list.dataset.noneText || "";
        close();
        return;
      }
      status.textContent = "";
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    };
    const search = () => {
      const typed = input.value.trim();
      if (typed.length < 2) { close(); return; }
      const mine = ++asked;
      const url = `${form.dataset.searchUrl}?q=${encodeURIComponent(typed)}`;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : { results: [] }))
        .then((data) => { if (mine === asked) render(data); })
        .catch(() => {});
    };
    input.addEventListener("input", () => {
      hidden.value = "";
      showOpenCase(null);
      clearTimeout(timer);
      timer = setTimeout(search, 150);
    });
    input.addEventListener("keydown", (event) => {
      if (list.hidden) {
        // Enter before a pupil is chosen would save without one.
        if (event.key === "Enter" && !hidden.value) event.preventDefault();
        return;
      }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight(Math.min(active + 1, results.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", close);
  }

  // --- The signalenlijst: type to find a signal; ticked ones stay in view -----------
  const filterField = form.querySelector("[data-signal-filter-field]");
  const filter = form.querySelector("[data-signal-filter]");
  const signalList = form.querySelector("[data-signal-list]");
  if (filterField && filter && signalList) {
    filterField.hidden = false;
    const fold = (text) => text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    const categories = [...signalList.querySelectorAll("[data-signal-category]")];
    const wasOpen = signalList.open;
    const apply = () => {
      const words = fold(filter.value).split(/\s+/).filter(Boolean);
      const filtering = words.length > 0;
      categories.forEach((category) => {
        let shown = 0;
        category.querySelectorAll("[data-signal-group]").forEach((group) => {
          let inGroup = 0;
          group.querySelectorAll("li").forEach((item) => {
            const box = item.querySelector("input");
            const text = fold(item.textContent);
            const match = !filtering || box.checked || words.every((word) => text.includes(word));
            item.hidden = !match;
            if (match) inGroup += 1;
          });
          group.hidden = inGroup === 0;
          shown += inGroup;
        });
        category.hidden = filtering && shown === 0;
        if (filtering) category.open = shown > 0;
        else category.open = !!category.querySelector("input:checked");
      });
      signalList.open = filtering || wasOpen;
      // While filtering, the matches show as one short list, without the folds.
      signalList.classList.toggle("qr-filtering", filtering);
    };
    filter.addEventListener("input", apply);
    // Enter in the filter would send the form: it only filters.
    filter.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault();
    });
  }
})();
