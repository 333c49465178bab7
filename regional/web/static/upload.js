// Upload forms: while a file is sent and checked (a 30 MiB customs file can take a minute on a busy node),
// say so and refuse a second click. No inline script: the CSP forbids it.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.querySelector || !form.querySelector("input[type=file]")) { return; }
  var busy = form.querySelector(".upload-busy");
  if (busy) { busy.hidden = false; }
  // disabled after the submit has been taken, so a named submit button is still part of the form data
  window.setTimeout(function () {
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  }, 0);
});
// A page restored by the browser's Back button must not keep its buttons disabled.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form .upload-busy").forEach(function (busy) {
    busy.hidden = true;
    busy.form_ = busy.closest("form");
    busy.form_.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
  });
});
