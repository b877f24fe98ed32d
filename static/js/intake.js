// The intake form: one save state, a busy state at once, ticks that update without waiting,
// the panel summary that jumps to the suggestions and back, and length limits said aloud.
//
// htmx does the requests (hx-trigger="intake-now, intake-typed delay:400ms" on the form);
// this file only decides which of the two a change is, and shows what is going on. No
// inline script and no eval: the page's Content-Security-Policy allows neither.
(() => {
  "use strict";
  const form = document.getElementById("intake");
  if (!form) return;
  const bar = document.getElementById("intake-balk");
  const stateText = document.getElementById("bewaarstatus-tekst");
  const panelBody = document.getElementById("suggesties-inhoud");
  const autosaveUrl = form.getAttribute("hx-post");

  let changes = 0; // input events so far
  let stored = 0; // the input count the server has confirmed storing
  let sent = 0; // the input count of the request in flight
  let leaving = false;

  const unsaved = () => !leaving && changes > stored;
  const isTyping = (el) =>
    el.tagName === "TEXTAREA" ||
    (el.tagName === "INPUT" && !["checkbox", "radio"].includes(el.type));
  const isAutosave = (evt) => evt.detail.requestConfig && evt.detail.requestConfig.path === autosaveUrl;

  function setState(text, kind) {
    stateText.textContent = text;
    bar.dataset.state = kind;
  }

  function busy(on) {
    bar.classList.toggle("is-busy", on);
    if (panelBody) panelBody.setAttribute("aria-busy", on ? "true" : "false");
  }

  // ------------------------------------------------------------ a change: busy at once
  const counts = (el) => el.name && el.name !== "csrfmiddlewaretoken";
  form.addEventListener("input", (evt) => {
    const el = evt.target;
    if (!counts(el)) return;
    changes += 1;
    busy(true);
    if (bar.dataset.state !== "busy") setState("Wijzigingen worden bewaard…", "busy");
    // Typing waits for a short pause; a tick or a choice goes at its change event, at once.
    if (isTyping(el)) htmx.trigger(form, "intake-typed");
  });
  // A tick or a choice: send now. (A text field's change, when leaving it, only restarts
  // the short wait: a click on "Opslaan" must not race an autosave.)
  form.addEventListener("change", (evt) => {
    if (counts(evt.target)) htmx.trigger(form, isTyping(evt.target) ? "intake-typed" : "intake-now");
  });

  // Which suggestions the panel shows: an answer that would bring the same sends only the
  // save state (the server leaves the panel as it is).
  let shown = panelBody ? panelBody.dataset.shown || "" : "";
  const SHOWN = "X-Shown-Suggestions";

  form.addEventListener("htmx:configRequest", (evt) => {
    if (evt.detail.path !== autosaveUrl) return;
    sent = changes;
    if (shown) evt.detail.headers[SHOWN] = shown;
  });

  form.addEventListener("htmx:afterRequest", (evt) => {
    if (!isAutosave(evt)) return;
    if (evt.detail.successful && !evt.detail.xhr.responseURL.includes("/inloggen/")) {
      shown = evt.detail.xhr.getResponseHeader(SHOWN) || shown;
      stored = Math.max(stored, sent);
      if (stored >= changes) {
        busy(false);
        bar.dataset.state = "ok"; // the answer brought the text: "Automatisch bewaard om …"
      } else {
        setState("Wijzigingen worden bewaard…", "busy");
      }
    }
  });

  // A session that ended answers with the login page: never swap that into the panel.
  document.body.addEventListener("htmx:beforeSwap", (evt) => {
    const xhr = evt.detail.xhr;
    if (xhr && xhr.responseURL && xhr.responseURL.includes("/inloggen/")) {
      evt.detail.shouldSwap = false;
      busy(false);
      setState(
        "Niet bewaard: u bent uitgelogd. Uw invoer staat nog op het scherm. " +
          "Log in een ander tabblad opnieuw in en wijzig daarna iets, dan wordt het bewaard.",
        "error",
      );
    }
  });

  const REASONS = {
    400: "het formulier klopte niet. Herlaad de pagina.",
    403: "u heeft geen toegang meer tot dit dossier, of uw sessie is verlopen.",
    404: "dit dossier bestaat niet meer of is niet meer voor u zichtbaar.",
    409: "iemand anders heeft het dossier intussen gewijzigd.",
    413: "er is te veel tekst ingevuld.",
    429: "er kwamen te veel wijzigingen kort na elkaar. Wacht even en wijzig dan iets.",
  };

  document.body.addEventListener("htmx:responseError", (evt) => {
    if (!isAutosave(evt)) return;
    busy(false);
    const status = evt.detail.xhr.status;
    const reason = REASONS[status] || "er ging iets mis op de server. Probeer het zo opnieuw.";
    setState(`Niet bewaard: ${reason} Uw invoer staat nog op het scherm.`, "error");
  });

  document.body.addEventListener("htmx:sendError", (evt) => {
    if (!isAutosave(evt)) return;
    busy(false);
    setState(
      "Niet bewaard: geen verbinding met de server. Uw invoer staat nog op het scherm; " +
        "bij uw volgende wijziging proberen we het opnieuw.",
      "error",
    );
  });

  // ------------------------------------------------------------ leaving with unsaved input
  form.addEventListener("submit", () => {
    leaving = true;
  });
  window.addEventListener("beforeunload", (evt) => {
    if (unsaved()) {
      evt.preventDefault();
      evt.returnValue = "";
    }
  });

  // ------------------------------------------------------------ the panel and back
  let lastField = null;
  form.addEventListener("focusin", (evt) => {
    if (evt.target.name) lastField = evt.target;
  });
  document.addEventListener("click", (evt) => {
    const toPanel = evt.target.closest("#samenvatting");
    const back = evt.target.closest("#terug-naar-formulier");
    if (toPanel) {
      evt.preventDefault();
      const heading = document.getElementById("kop-suggesties");
      heading.focus({ preventScroll: true });
      heading.scrollIntoView({ block: "start" });
    } else if (back) {
      evt.preventDefault();
      const target =
        lastField && document.contains(lastField)
          ? lastField
          : form.querySelector("input:not([type=hidden]), textarea");
      if (target) {
        target.focus({ preventScroll: true });
        target.scrollIntoView({ block: "center" });
      }
    }
  });

  // ------------------------------------------------------------ length limits, said aloud
  function limitMessage(el) {
    let msg = document.getElementById(`${el.id}_limiet`);
    if (!msg) {
      msg = document.createElement("p");
      msg.id = `${el.id}_limiet`;
      msg.className = "utrecht-form-field-description rs-limit";
      msg.setAttribute("aria-live", "polite");
      el.closest(".utrecht-form-field__input").after(msg);
    }
    return msg;
  }

  form.addEventListener("paste", (evt) => {
    const el = evt.target;
    const max = el.maxLength;
    if (!(max > 0) || !isTyping(el)) return;
    const pasted = (evt.clipboardData || window.clipboardData).getData("text");
    const selected = el.selectionEnd - el.selectionStart;
    if (el.value.length - selected + pasted.length > max) {
      limitMessage(el).textContent =
        `Wat u plakte is te lang: hier passen maximaal ${max} tekens. ` +
        "Alleen het begin is overgenomen; controleer het einde.";
      el.dataset.cut = "1";
    }
  });

  form.addEventListener("input", (evt) => {
    const el = evt.target;
    const max = el.maxLength;
    if (!(max > 0) || !isTyping(el)) return;
    if (el.dataset.cut) {
      delete el.dataset.cut;
      return;
    }
    const existing = document.getElementById(`${el.id}_limiet`);
    if (el.value.length >= max) {
      limitMessage(el).textContent = `U heeft het maximum van ${max} tekens bereikt: meer past hier niet.`;
    } else if (existing) {
      existing.textContent = "";
    }
  });
})();
