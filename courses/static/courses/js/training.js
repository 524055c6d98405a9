// Progressive enhancements; every page works without them.
(function () {
  "use strict";

  // A form marked data-once submits once: the button is disabled while the request is under way.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-once]")) return;
    if (form.dataset.submitting) {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "true";
    // Disable after the browser has read the pressed button's name and value.
    setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
  });

  // A reflection box shows how many words it holds against the minimum.
  document.querySelectorAll("textarea[data-min-words]").forEach(function (textarea) {
    var minimum = Number(textarea.dataset.minWords);
    var counter = document.createElement("p");
    counter.className = "hint";
    counter.setAttribute("aria-live", "polite");
    textarea.insertAdjacentElement("afterend", counter);
    var format = new Intl.NumberFormat(document.documentElement.lang);
    function update() {
      var words = textarea.value.trim() ? textarea.value.trim().split(/\s+/).length : 0;
      counter.textContent = format.format(words) + " / " + format.format(minimum);
    }
    textarea.addEventListener("input", update);
    update();
  });
})();
