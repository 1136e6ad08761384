/* studysite: the Test yourself trainer. Plain JavaScript, no network beyond this site: on a
   page holding <div class="ss-trainer" data-ss-cards="all|CATEGORY">, it loads
   assets/cards.js (window.STUDYSITE_CARDS, generated at build time) with a <script> tag, so
   it works from file:// too, and asks one card at a time.
   Leitner boxes 1-5 per card, kept in localStorage under one key per site; nothing is sent
   anywhere. Keys: Space shows the answer, 1 or J "knew it", 2 or K "didn't". */
(function () {
  var DAY = 86400000;
  var WAIT = [0, 0, 1, 3, 7, 15]; // days before a card in box N comes back (box 1: at once)
  var ROUND = 20; // cards per round
  var state = null; // the trainer on the current page

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function button(label, keys, action) {
    var b = el("button", "md-button ss-trainer-button");
    b.type = "button";
    b.appendChild(el("span", "ss-trainer-label", label));
    if (keys) b.appendChild(el("kbd", "ss-trainer-keys", keys));
    b.addEventListener("click", action);
    return b;
  }

  // The site's root and URL style, from the link MkDocs wrote to "Numbers to know":
  // "…/numbers-to-know/" (directory URLs) or "…/numbers-to-know.html" (offline edition).
  function site(box) {
    var link = (box.closest("article") || document).querySelector("a.ss-trainer-root");
    if (!link) return null;
    var href = link.href.split("#")[0].split("?")[0];
    var html = /\.html$/.test(href);
    var root = href.replace(/numbers-to-know(?:\.html|\/(?:index\.html)?)?$/, "");
    return { root: root, html: html };
  }

  function url(where, path) {
    var parts = path.split("#");
    var p = parts[0];
    p = where.html ? p.replace(/\.md$/, ".html")
                   : p.replace(/(^|\/)index\.md$/, "$1").replace(/\.md$/, "/");
    return where.root + p + (parts[1] ? "#" + parts[1] : "");
  }

  function load(where, then) {
    if (window.STUDYSITE_CARDS) return then();
    var s = document.querySelector("script[data-ss-cards]");
    if (!s) {
      s = document.createElement("script");
      s.src = where.root + "assets/cards.js";
      s.setAttribute("data-ss-cards", "");
      document.head.appendChild(s);
    }
    s.addEventListener("load", then);
  }

  function readProgress(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "{}") || {}; }
    catch (e) { return {}; }
  }

  function saveProgress(t) {
    try { window.localStorage.setItem(t.key, JSON.stringify(t.progress)); }
    catch (e) { /* storage full or disabled: progress lasts this visit only */ }
  }

  // Due cards first (lowest box first), then cards never seen, in the site's order.
  function dueFirst(t) {
    var now = Date.now();
    var due = [], fresh = [];
    t.cards.forEach(function (c) {
      var p = t.progress[c.id];
      if (!p) fresh.push(c);
      else if (p[1] <= now) due.push(c);
    });
    due.sort(function (a, b) { return t.progress[a.id][0] - t.progress[b.id][0]; });
    return due.concat(fresh).slice(0, ROUND);
  }

  function start(t, deck) {
    t.deck = deck;
    t.at = 0;
    t.revealed = false;
    t.knew = 0;
    t.missed = [];
    render(t);
  }

  function mark(t, knew) {
    if (!t.revealed || t.at >= t.deck.length) return;
    var card = t.deck[t.at];
    var p = t.progress[card.id] || [0, 0];
    var box = knew ? Math.min(Math.max(p[0], 1) + 1, 5) : 1;
    t.progress[card.id] = [box, Date.now() + WAIT[box] * DAY];
    saveProgress(t);
    if (knew) t.knew++;
    else t.missed.push(card);
    t.at++;
    t.revealed = false;
    render(t);
  }

  function reveal(t) {
    if (t.at >= t.deck.length || t.revealed) return;
    t.revealed = true;
    render(t);
  }

  function summary(t) {
    var boxes = [0, 0, 0, 0, 0, 0];
    var seen = 0;
    t.cards.forEach(function (c) {
      var p = t.progress[c.id];
      if (p) { seen++; boxes[p[0]]++; }
    });
    var text = seen + " of " + t.cards.length + " cards seen";
    if (seen) {
      text += " · box 1: " + boxes[1] + ", 2: " + boxes[2] + ", 3: " + boxes[3] +
        ", 4: " + boxes[4] + ", 5: " + boxes[5];
    }
    return text;
  }

  var KINDS = { fact: "Number", comparison: "Comparison", question: "Practice question",
                tip: "Exam tip" };

  function cardView(t, card) {
    var box = el("div", "ss-trainer-card");
    box.appendChild(el("p", "ss-trainer-kind",
      (KINDS[card.kind] || card.kind) + " · card " + (t.at + 1) + " of " + t.deck.length));
    box.appendChild(el("p", "ss-trainer-clue", card.clue));
    if (card.choices.length) {
      var list = el("ul", "ss-trainer-choices");
      card.choices.forEach(function (c) { list.appendChild(el("li", "", c)); });
      box.appendChild(list);
    }
    var actions = el("div", "ss-trainer-actions");
    if (!t.revealed) {
      actions.appendChild(button("Show answer", "Space", function () { reveal(t); }));
    } else {
      box.appendChild(el("p", "ss-trainer-answer", card.answer));
      if (card.detail && card.detail !== card.answer) {
        box.appendChild(el("p", "ss-trainer-detail", card.detail));
      }
      var from = el("p", "ss-trainer-source");
      var note = el("a", "", card.source);
      note.href = url(t.where, card.note);
      var page = el("a", "", card.title);
      page.href = url(t.where, card.where);
      from.appendChild(document.createTextNode("From "));
      from.appendChild(note);
      from.appendChild(document.createTextNode(" · read it on "));
      from.appendChild(page);
      box.appendChild(from);
      actions.appendChild(button("Knew it", "1 / J", function () { mark(t, true); }));
      actions.appendChild(button("Didn't", "2 / K", function () { mark(t, false); }));
    }
    box.appendChild(actions);
    return box;
  }

  function endView(t) {
    var box = el("div", "ss-trainer-card ss-trainer-end");
    box.appendChild(el("p", "ss-trainer-score", t.deck.length
      ? "Round done: you knew " + t.knew + " of " + t.deck.length + "."
      : "Nothing to review now: every card here waits for a later day."));
    var actions = el("div", "ss-trainer-actions");
    if (t.missed.length) {
      var missed = t.missed.slice();
      actions.appendChild(button("Review the " + missed.length + " I missed", "",
        function () { start(t, missed); }));
    }
    actions.appendChild(button("Next round", "", function () { start(t, dueFirst(t)); }));
    box.appendChild(actions);
    return box;
  }

  function render(t) {
    t.box.textContent = "";
    t.box.appendChild(t.at < t.deck.length ? cardView(t, t.deck[t.at]) : endView(t));
    var foot = el("div", "ss-trainer-foot");
    foot.appendChild(el("span", "ss-trainer-progress", summary(t)));
    var reset = button("Reset progress", "", function () {
      // Two clicks, not confirm(): a dialog would block the page (and headless browsers).
      if (!t.confirmReset) {
        t.confirmReset = true;
        reset.querySelector(".ss-trainer-label").textContent =
          "Click again to forget every card's progress";
        return;
      }
      t.confirmReset = false;
      t.progress = {};
      try { window.localStorage.removeItem(t.key); } catch (e) { /* nothing was kept */ }
      start(t, dueFirst(t));
    });
    reset.classList.add("ss-trainer-reset");
    foot.appendChild(reset);
    t.box.appendChild(foot);
  }

  function setup() {
    var box = document.querySelector("div.ss-trainer");
    if (!box || box.dataset.ssReady) return;
    var where = site(box);
    if (!where) return;
    box.dataset.ssReady = "1";
    load(where, function () {
      var scope = box.getAttribute("data-ss-cards") || "all";
      var only = new URLSearchParams(window.location.search).get("page");
      var cards = (window.STUDYSITE_CARDS || []).filter(function (c) {
        if (scope !== "all" && c.category !== scope) return false;
        return !only || c.page === only || c.services.indexOf(only) >= 0;
      });
      var key = "studysite-cards:" + where.root;
      var t = { box: box, where: where, cards: cards, key: key, progress: readProgress(key) };
      state = t;
      if (only && cards.length) {
        var own = cards.filter(function (c) { return c.page === only; })[0];
        box.parentNode.insertBefore(el("p", "ss-trainer-scope", "Only the " + cards.length +
          " cards about " + (own ? own.title : only) + "."), box);
      }
      start(t, dueFirst(t));
    });
  }

  document.addEventListener("keydown", function (e) {
    var t = state;
    if (!t || !document.body.contains(t.box) || e.ctrlKey || e.metaKey || e.altKey) return;
    var target = e.target;
    if (target && (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable)) {
      return;
    }
    if (e.key === " " || e.key === "Spacebar") {
      if (target && target.tagName === "BUTTON") return; // the button's own click
      e.preventDefault();
      reveal(t);
    } else if (e.key === "1" || e.key === "j" || e.key === "J") {
      mark(t, true);
    } else if (e.key === "2" || e.key === "k" || e.key === "K") {
      mark(t, false);
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
  if (typeof document$ !== "undefined" && document$.subscribe) document$.subscribe(setup);
})();
