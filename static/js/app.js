// Small behaviour without inline scripts (the CSP allows only our own files).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// Quick hide, typing as activity, and drafts (accounts/drafts.py). Typed text is never
// kept in the browser: it goes to the server, for this user and this page only.
(() => {
  const body = document.body;
  const data = body.dataset;
  if (!data.lockUrl) return;
  const wait = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });
  const csrf = () => {
    const input = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  };
  const post = (url, payload) => fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRFToken": csrf(), "Content-Type": "application/json" },
    body: JSON.stringify(payload || {}),
  });

  // Which fields a draft holds: never a password, a token, a file or a hidden field.
  const SKIP_TYPES = new Set(["password", "hidden", "file", "submit", "button", "image", "reset"]);
  const SKIP_NAMES = new Set(["csrfmiddlewaretoken", "_submission", "_draft_path", "_draft_form", "next"]);
  const draftable = (form) => form && (form.getAttribute("method") || "").toLowerCase() === "post"
    && !form.hasAttribute("data-no-draft");
  const formKey = (form) => {
    if (form.dataset.draftKey) return form.dataset.draftKey;
    if (form.id) return `#${form.id}`;
    const action = form.getAttribute("action") || "";
    const same = [...document.forms].filter((f) => (f.getAttribute("action") || "") === action);
    return `${action}@${same.indexOf(form)}`;
  };
  const fieldsOf = (form) => [...form.elements].filter((el) => el.name && !el.disabled
    && !SKIP_NAMES.has(el.name) && !SKIP_TYPES.has((el.type || "").toLowerCase())
    && !/password|wachtwoord/i.test(el.name));
  const snapshot = (form) => {
    const fields = [];
    const names = [];
    for (const el of fieldsOf(form)) {
      if (!names.includes(el.name)) names.push(el.name);
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) fields.push([el.name, el.value]);
      } else if (el.tagName === "SELECT") {
        for (const option of el.selectedOptions) fields.push([el.name, option.value]);
      } else {
        fields.push([el.name, el.value]);
      }
    }
    return { form: formKey(form), fields, names };
  };
  const fill = (form, draft) => {
    const values = new Map();
    for (const [name, value] of draft.fields) {
      if (!values.has(name)) values.set(name, []);
      values.get(name).push(value);
    }
    const used = new Map();
    let first = null;
    for (const el of fieldsOf(form)) {
      if (!draft.names.includes(el.name)) continue;
      const given = values.get(el.name) || [];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = given.includes(el.value);
      } else if (el.tagName === "SELECT") {
        for (const option of el.options) option.selected = given.includes(option.value);
      } else {
        const index = used.get(el.name) || 0;
        el.value = given[index] ?? "";
        used.set(el.name, index + 1);
        if (!first && el.value) first = el;
      }
      el.dispatchEvent(new Event("change", { bubbles: true }));
    }
    return first;
  };

  const dirty = new Set();
  const keepDrafts = () => {
    const forms = [...dirty].filter((form) => document.contains(form)).map(snapshot);
    if (!forms.length || !data.draftUrl) return Promise.resolve();
    return post(data.draftUrl, { path: window.location.pathname, forms }).catch(() => {});
  };
  // A form sent names its draft, so the server drops it once the form is filed.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!draftable(form)) return;
    const key = formKey(form);
    dirty.delete(form);
    for (const [name, value] of [["_draft_path", window.location.pathname], ["_draft_form", key]]) {
      let input = form.querySelector(`input[name="${name}"]`);
      if (!input) {
        input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        form.appendChild(input);
      }
      input.value = value;
    }
  }, true);

  // Another tab or window in front: keep what was typed now, since a tab in the background
  // may wake too late for the idle sign-out. Not when the page is being left on purpose.
  let leaving = false;
  window.addEventListener("beforeunload", () => { leaving = true; });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden" && !leaving && dirty.size) keepDrafts();
  });

  // The offer of what was typed before the last sign-out or hide, on this same page.
  const offer = document.querySelector("[data-draft-offer]");
  const offered = document.getElementById("meldcode-drafts");
  if (offer && offered) {
    const drafts = JSON.parse(offered.textContent);
    const restore = offer.querySelector("[data-draft-restore]");
    // Only when a form of this page is the one the text was typed in.
    const here = (draft) => [...document.forms].some((f) => draftable(f) && formKey(f) === draft.form);
    restore.hidden = !drafts.some(here);
    restore.addEventListener("click", () => {
      let focus = null;
      for (const draft of drafts) {
        const form = [...document.forms].find((f) => draftable(f) && formKey(f) === draft.form);
        if (!form) continue;
        focus = fill(form, draft) || focus;
        dirty.add(form);
      }
      offer.querySelector("[data-draft-ask]").hidden = true;
      const done = offer.querySelector("[data-draft-done]");
      done.hidden = false;
      (focus || done).focus();
    });
  }

  // Quick hide: blank the screen and neutral tab at once, keep what was typed, then lock
  // the session on the server, so that coming back asks for the password.
  const hide = async () => {
    body.classList.add("hidden-now");
    if (data.neutralTitle) document.title = data.neutralTitle;
    const icon = document.querySelector('link[rel="icon"]');
    if (icon && data.neutralIcon) icon.href = data.neutralIcon;
    const form = document.querySelector("form.quick-hide");
    if (dirty.size) await Promise.race([keepDrafts(), wait(2500)]);
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
    if (event.target.closest("[data-quick-hide]")) {
      event.preventDefault();
      hide();
    }
  });

  // The idle sign-out, counted as the server counts it. Typing in a form is activity: a
  // keep-alive at most every `interval` while someone types. Shortly before the end the
  // warning shows; at the end what was typed is kept and the page signs out.
  const idle = parseInt(data.idleSeconds || "0", 10);
  const warning = document.querySelector("[data-idle-warning]");
  if (!idle || !warning) return;
  const remaining = parseInt(data.idleRemaining || data.idleSeconds, 10);
  const interval = Math.min(120, Math.max(idle / 2, 5)) * 1000;
  const lead = Math.min(60, idle / 3) * 1000;
  const margin = Math.min(8, idle / 6) * 1000;
  let deadline = Date.now() + remaining * 1000;
  let lastSent = deadline - idle * 1000;
  let warnTimer;
  let endTimer;
  const signOut = async () => {
    if (dirty.size) await Promise.race([keepDrafts(), wait(3000)]);
    const form = document.querySelector("form[data-idle-sign-out]");
    if (form) form.submit();
  };
  const arm = () => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warning.hidden = true;
    const left = deadline - Date.now();
    warnTimer = setTimeout(() => { warning.hidden = false; }, Math.max(left - lead, 0));
    endTimer = setTimeout(signOut, Math.max(left - margin, 0));
  };
  const keepAlive = () => {
    lastSent = Date.now();
    return post(data.keepAliveUrl)
      .then((response) => (response.ok ? response.json() : null))
      .then((answer) => {
        if (answer) {
          deadline = Date.now() + answer.idle_seconds * 1000;
          arm();
        }
      })
      .catch(() => {});
  };
  document.addEventListener("input", (event) => {
    const form = event.target.form;
    if (!form || !event.target.name) return;
    if (draftable(form)) dirty.add(form);
    warning.hidden = true;
    if (Date.now() - lastSent >= interval) keepAlive();
  });
  warning.querySelector("[data-stay]").addEventListener("click", keepAlive);
  arm();
})();
