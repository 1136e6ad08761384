/* studysite: the filter box of generated tables ("Numbers to know"). Plain JavaScript, no
   network: it hides the rows that do not contain what is typed, and the sections left with
   no row. Material's instant navigation swaps pages without a reload, so it hooks document$. */
(function () {
  function setup() {
    document.querySelectorAll("input.ss-filter").forEach(function (box) {
      if (box.dataset.ssReady) return;
      box.dataset.ssReady = "1";
      var article = box.closest("article") || document;
      box.addEventListener("input", function () {
        var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
        article.querySelectorAll("table").forEach(function (table) {
          var shown = 0;
          table.querySelectorAll("tbody tr").forEach(function (tr) {
            var text = tr.textContent.toLowerCase();
            var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
            tr.hidden = !hit;
            if (hit) shown++;
          });
          var wrap = table.closest(".md-typeset__scrollwrap") || table;
          wrap.hidden = shown === 0;
          var heading = wrap.previousElementSibling;
          if (heading && /^H[2-3]$/.test(heading.tagName)) heading.hidden = shown === 0;
        });
      });
    });
  }
  // Both: document$ re-emits on instant navigation, but not always for the first page
  // (the offline edition has no instant navigation); setup runs once per box anyway.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
  if (typeof document$ !== "undefined" && document$.subscribe) document$.subscribe(setup);
})();
