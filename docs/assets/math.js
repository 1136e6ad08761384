/* Renders the notes' math with the vendored KaTeX (docs/assets/vendor/katex/).
   pymdownx.arithmatex (generic) writes each formula as \(...\) in <span class="arithmatex">
   (or \[...\] in a div); overrides/main.html loads this file and KaTeX only on pages that
   have one. Runs on every load, including Material's instant navigation, which re-runs the
   scripts of the page it swaps in. */
(function () {
  if (typeof katex === "undefined") return;
  document.querySelectorAll(".arithmatex").forEach(function (el) {
    if (el.querySelector(".katex")) return;
    var tex = el.textContent.trim();
    var display = tex.slice(0, 2) === "\\[";
    if (/^\\[([]/.test(tex)) tex = tex.slice(2, -2);
    // A formula KaTeX cannot read is shown in red as written, not thrown to the console.
    katex.render(tex, el, { displayMode: display, throwOnError: false, strict: "ignore" });
  });
})();
