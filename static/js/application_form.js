// Progressive enhancement for the application form. Without JavaScript every section stays
// visible, the error summary's links still lead to their questions, the progress list shows
// the state of the last page load, and "Save draft" saves; the server checks every answer.
//
// With it: the mentor and mentee sections follow the role chosen ("both" shows both), the
// error summary takes the focus and its links put the focus on the first control of their
// question (radio buttons and checkboxes included), the progress list follows the answers as
// they are given, and the draft is saved as the applicant types.
(function () {
  "use strict";
  var form = document.querySelector("[data-application-form]");
  if (!form) { return; }
  var progress = document.querySelector("[data-form-progress]");

  // --- the role's sections -------------------------------------------------------------------
  function chosenRole() {
    var checked = form.querySelector('input[name="role"]:checked');
    return checked ? checked.value : "";
  }
  function roleShows(wanted, role) {
    return role === "" || role === "both" || role === wanted;
  }
  function updateRoles() {
    var role = chosenRole();
    form.querySelectorAll(".role-section[data-role]").forEach(function (section) {
      section.hidden = !roleShows(section.getAttribute("data-role"), role);
    });
    if (progress) {
      progress.querySelectorAll("li[data-for-role]").forEach(function (item) {
        item.hidden = !roleShows(item.getAttribute("data-for-role"), role);
      });
    }
  }

  // --- the error summary ----------------------------------------------------------------------
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-focus-target]");
      if (!link) { return; }
      var control = document.getElementById(link.getAttribute("data-focus-target"));
      if (!control) { return; }
      event.preventDefault();
      // Show the question with its label or legend, then put the focus on its first control.
      var group = document.getElementById("div_" + link.getAttribute("data-field")) || control;
      group.scrollIntoView({ block: "start", behavior: "instant" });
      control.focus({ preventScroll: true });
    });
  }

  // --- the progress list ----------------------------------------------------------------------
  var LABELS = { done: "complete", to_do: "to do", attention: "needs attention", optional: "optional" };
  function visible(element) {
    var hidden = element.closest("[hidden]");
    return !hidden;
  }
  function answered(name) {
    var controls = form.querySelectorAll('[name="' + name + '"]');
    if (!controls.length) { return true; }
    if (!visible(controls[0])) { return null; }  // another role's question: not counted
    for (var i = 0; i < controls.length; i += 1) {
      var control = controls[i];
      if (control.type === "checkbox" || control.type === "radio") {
        if (control.checked) { return true; }
      } else if (control.value && control.value.trim() !== "") {
        return true;
      }
    }
    return false;
  }
  function updateProgress(initial) {
    if (!progress) { return; }
    var done = 0;
    var total = 0;
    progress.querySelectorAll("li[data-section]").forEach(function (item) {
      var status = item.getAttribute("data-status");
      if (item.hidden) { return; }
      var names = (item.getAttribute("data-required") || "").split(" ").filter(Boolean);
      var shown = names.map(answered).filter(function (value) { return value !== null; });
      // On load the server's word stands ("needs attention" after a submit); then the answers'.
      if (!(initial && status === "attention")) {
        if (!shown.length) {
          status = "optional";
        } else {
          status = shown.every(Boolean) ? "done" : "to_do";
        }
      }
      item.setAttribute("data-status", status);
      var label = item.querySelector("[data-status-label]");
      if (label) {
        label.textContent = LABELS[status] || label.textContent;
        label.className = "section-status section-status-" + status;
      }
      if (status !== "optional") {
        total += 1;
        if (status === "done") { done += 1; }
      }
    });
    var doneText = progress.querySelector("[data-progress-done]");
    var totalText = progress.querySelector("[data-progress-total]");
    var bar = progress.querySelector("[data-progress-bar]");
    if (doneText) { doneText.textContent = String(done); }
    if (totalText) { totalText.textContent = String(total); }
    if (bar) { bar.max = Math.max(total, 1); bar.value = done; }
  }

  // --- the draft saved as you go --------------------------------------------------------------
  var autosaveUrl = form.getAttribute("data-autosave-url");
  var status = form.querySelector("[data-autosave-status]");
  var timer = null;
  var changed = false;
  var saving = false;
  function autosave() {
    timer = null;
    if (!autosaveUrl || !changed || saving) { return; }
    changed = false;
    saving = true;
    if (status) { status.textContent = "Saving your draft…"; }
    fetch(autosaveUrl, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
      keepalive: true
    }).then(function (response) {
      return response.json().then(function (data) {
        if (status) { status.textContent = data.message || ""; }
        if (response.status === 409) { autosaveUrl = null; }  // submitted or closed: stop
      });
    }).catch(function () {
      changed = true;  // offline for a moment: try again after the next change
      if (status) { status.textContent = "Your draft could not be saved just now; use “Save draft”."; }
    }).then(function () {
      saving = false;
    });
  }
  function scheduleAutosave() {
    if (!autosaveUrl) { return; }
    changed = true;
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(autosave, 3000);
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && changed) { autosave(); }
  });
  // A real submit saves (or reviews) everything: no autosave races it.
  form.addEventListener("submit", function () {
    autosaveUrl = null;
    if (timer) { clearTimeout(timer); }
  });

  form.addEventListener("change", function (event) {
    if (event.target.name === "role") { updateRoles(); }
    updateProgress(false);
    scheduleAutosave();
  });
  form.addEventListener("input", function () {
    scheduleAutosave();
  });
  updateRoles();
  updateProgress(true);
})();
