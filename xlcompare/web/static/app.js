// xlcompare serve: the drop zone. Files dropped on the page go to the upload form, which
// htmx posts (with the page's CSRF token, set on <body>); reading progress is then polled.
// No inline script anywhere: the Content-Security-Policy runs only this file and htmx.
(function () {
  "use strict";
  function ready() {
    var form = document.getElementById("upload");
    var input = document.getElementById("file-input");
    var bar = document.getElementById("upload-progress");
    if (!form || !input) { return; }
    function send() {
      if (!input.files || input.files.length === 0) { return; }
      form.requestSubmit();
    }
    input.addEventListener("change", send);
    ["dragenter", "dragover"].forEach(function (name) {
      document.addEventListener(name, function (event) {
        event.preventDefault();
        form.classList.add("over");
      });
    });
    ["dragleave", "dragend"].forEach(function (name) {
      document.addEventListener(name, function () { form.classList.remove("over"); });
    });
    document.addEventListener("drop", function (event) {
      event.preventDefault();
      form.classList.remove("over");
      if (!event.dataTransfer || event.dataTransfer.files.length === 0) { return; }
      input.files = event.dataTransfer.files;
      send();
    });
    document.body.addEventListener("htmx:beforeSend", function (event) {
      if (event.detail.elt !== form) { return; }
      bar.hidden = false;
      bar.value = 0;
      window.setTimeout(function () { htmx.trigger(document.body, "xl-poll"); }, 200);
    });
    document.body.addEventListener("htmx:xhr:progress", function (event) {
      if (event.detail.elt !== form || !event.detail.lengthComputable) { return; }
      bar.value = Math.round(100 * event.detail.loaded / event.detail.total);
    });
    document.body.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.elt !== form) { return; }
      bar.hidden = true;
      form.reset();
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
