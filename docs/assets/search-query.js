/* Search queries, fixed on their way to Material's search worker (it gets every
   keystroke's query; what the reader typed stays as it is in the box):
   - lunr's query parser splits terms at "-": while typing "us-east-1", "us-" becomes
     "us" plus a bare "*" that matches every word of the index and stalls search for
     seconds (on file:// the worker shares the page's thread: the page freezes). A
     hyphen with nothing after it is dropped.
   - A word of a shape a catalog page stands for (`patterns:`: m5.large, ap-south-1)
     gets that page's token, which only that page carries in the index (hooks/search.py):
     the page comes first, pages naming the word after it.
   - Region codes (us-east-1, ap-south-1a) fall apart into weak words at the hyphens,
     and "1" alone prefixes every number. Without a pattern, each part becomes a
     required term, so the pages that name the region come first; with one, the parts
     are exact terms beside the page's token. "us" is one of lunr's stop words (never
     indexed): it is left out.
   - Keyword phrases (catalog `keywords:` of two content words or more): when the
     query's content words (three or more) (stop words and "aws"/"amazon" left out, lightly stemmed)
     hold all words of a short phrase or three in four of a long one, the query gets
     that page's token, boosted by the share of the query the page's matched phrases
     cover (phrase_matches in src/studysite/render/search.py is the same rule). A set
     lookup per word; the phrases are indexed by word once, on first use.
   - "Did you mean …?": a word of four letters or more that no word of the index starts
     with (lunr would find nothing for it) is replaced by the weightiest index word one
     edit away (a letter changed, added, dropped or two swapped); the word being typed
     may also be one edit away from the start of an index word. Checking costs a binary
     search per word; only a word that matches nothing is compared with the vocabulary,
     and no fuzzy query ever reaches the worker. The corrected words show above the
     results.
   - A stop word ("in", "to", "a") before the word being typed is left out: lunr never
     indexes it, but the worker looks each word up as a prefix, so "in" would match
     every "interface" and "instance" and lift unrelated pages. The word being typed
     stays (it may be the start of "inspector").
   Runs after the polyfills, so on file:// it patches the iframe-worker shim. */
(function () {
  var data = window.__ssSearchData || {};
  var patterns = (data.patterns || []).map(function (p) {
    return [new RegExp("^(?:" + p[0] + ")$", "i"), p[1]];
  });
  var boost = data.boost || 10;
  var stop = new Set(data.stop || []);
  var filler = new Set(data.filler || []);
  var phraseBoost = data.phraseBoost || 10;
  var byWord = null;
  var words = null, sorted = null;
  var CANDIDATE = /^[a-z][a-z0-9]{2,}$/;   // a correction: a plain word
  var TYPO = /^[a-z][a-z0-9]{3,}$/;        // a word worth correcting

  function vocabulary() {
    if (!words) {
      words = data.words ? data.words.split(" ").filter(function (w) {
        return CANDIDATE.test(w);
      }) : [];
      sorted = data.words ? data.words.split(" ").sort() : [];
    }
  }
  function known(word) {   // lunr matches word*: is any index word starting with it?
    vocabulary();
    var lo = 0, hi = sorted.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (sorted[mid] < word) lo = mid + 1; else hi = mid;
    }
    return lo < sorted.length && sorted[lo].lastIndexOf(word, 0) === 0;
  }
  function near(a, b) {    // one letter changed, added, dropped, or two neighbours swapped
    var la = a.length, lb = b.length, i = 0;
    if (a === b || Math.abs(la - lb) > 1) return false;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (la > lb) return a.slice(i + 1) === b.slice(i);
    if (la < lb) return a.slice(i) === b.slice(i + 1);
    return a.slice(i + 1) === b.slice(i + 1) ||
      (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  }
  function correct(word, typing) {   // words are weightiest first: the first one wins
    vocabulary();
    var i, n, w;
    for (i = 0; i < words.length; i++) if (near(word, words[i])) return words[i];
    if (!typing || word.length < 5) return null;
    for (i = 0; i < words.length; i++) {
      w = words[i];
      for (n = word.length - 1; n <= word.length + 1 && n < w.length; n++)
        if (near(word, w.slice(0, n))) return w;
    }
    return null;
  }
  function stem(w) {   // the same as stem() in src/studysite/render/search.py
    if (w.length <= 3) return w;
    if (/ies$/.test(w) && w.length > 4) w = w.slice(0, -3) + "i";
    else if (/sses$/.test(w)) w = w.slice(0, -2);
    else if (/s$/.test(w) && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
    var ing = /ing$/.test(w);
    if (/ied$/.test(w) && w.length > 4) w = w.slice(0, -3) + "i";
    else if ((ing || /ed$/.test(w)) && w.length >= (ing ? 6 : 5)) {
      w = w.slice(0, ing ? -3 : -2);
      if (w[w.length - 1] === w[w.length - 2] && !/[lsz0-9]/.test(w[w.length - 1]))
        w = w.slice(0, -1);
    }
    if (w.length >= 4 && /e$/.test(w)) w = w.slice(0, -1);
    else if (w.length >= 4 && /y$/.test(w)) w = w.slice(0, -1) + "i";
    return w;
  }
  function contentWords(text) {
    var out = [];
    text.toLowerCase().split(/[^a-z0-9]+/).forEach(function (w) {
      if (!w || stop.has(w) || filler.has(w)) return;
      w = stem(w);
      if (out.indexOf(w) < 0) out.push(w);
    });
    return out;
  }
  function lookup(list) {   // [[token, "words|words"]] -> word -> [[size, token]]
    var byWord = new Map();
    (list || []).forEach(function (entry) {
      entry[1].split("|").forEach(function (p) {
        var ws = p.split(" "), item = [ws.length, entry[0]];
        ws.forEach(function (w) {
          if (!byWord.has(w)) byWord.set(w, []);
          byWord.get(w).push(item);
        });
      });
    });
    return byWord;
  }
  function matched(query, byWord, share) {   // [[token, words hit]] of matching phrases
    var hits = new Map(), out = [];
    query.forEach(function (w) {
      (byWord.get(w) || []).forEach(function (item) {
        if (!hits.has(item)) hits.set(item, []);
        hits.get(item).push(w);
      });
    });
    hits.forEach(function (ws, item) {
      if (ws.length >= Math.ceil(share * item[0])) out.push([item[1], ws]);
    });
    return out;
  }
  function phrases(text) {   // {token: boost}: phrase_matches() in render/search.py
    var query = contentWords(text), result = {}, named = {}, covered = {};
    if (query.length < (data.phraseMin || 3)) return result;
    if (!byWord) byWord = [lookup(data.phrases), lookup(data.names)];
    matched(query, byWord[1], 1).forEach(function (m) {
      named[m[0]] = (named[m[0]] || []).concat(m[1]);
    });
    matched(query, byWord[0], 3 / 4).forEach(function (m) {
      var t = m[0], claimed = new Set();
      Object.keys(named).forEach(function (o) {
        if (o !== t) named[o].forEach(function (w) { claimed.add(w); });
      });
      if (!m[1].some(function (w) { return !claimed.has(w); })) return;
      covered[t] = covered[t] || new Set();
      m[1].forEach(function (w) { covered[t].add(w); });
    });
    Object.keys(covered).sort().forEach(function (t) {
      result[t] = Math.max(1, Math.floor(phraseBoost * covered[t].size / query.length + 0.5));
    });
    return result;
  }
  window.__ssPhrases = phrases;
  function token(word) {
    for (var i = 0; i < patterns.length; i++)
      if (patterns[i][0].test(word)) return patterns[i][1];
    return null;
  }
  function rewrite(word, typing) {   // [what the worker gets, the correction or null]
    if (/^[+\-]|[~^*:"]/.test(word)) return [word, null];   // lunr's own syntax, as typed
    var bare = word.replace(/^[(\[{'‘“]+|[)\]}'’”,;!?.]+$/g, "").toLowerCase();
    var page = token(bare);
    var region = /^([a-z]{2})-([a-z]+(?:-[a-z]+)*)-(\d+[a-z]?)$/.exec(bare);
    if (region) {
      var terms = [region[1]].concat(region[2].split("-"), [region[3]])
        .filter(function (t) { return !stop.has(t); });
      if (page) return [terms.map(function (t) { return t + "^1"; }).join(" ") +
        " " + page + "^" + boost, null];
      return [terms.map(function (t, k) {
        return "+" + t + (k === terms.length - 1 ? "*" : "");
      }).join(" "), null];
    }
    if (page) return [word + " " + page + "^" + boost, null];
    var better = TYPO.test(bare) && !stop.has(bare) && !known(bare) ?
      correct(bare, typing) : null;
    return [better || word, better];
  }
  function show(typed, fixes) {
    var note = document.querySelector(".ss-did-you-mean");
    window.__ssDidYouMean = null;
    if (!fixes.some(Boolean)) {
      if (note) note.remove();
      return;
    }
    var meta = document.querySelector(".md-search-result__meta");
    if (!meta) return;
    if (!note) {
      note = document.createElement("div");
      note.className = "ss-did-you-mean";
      meta.after(note);
    }
    note.textContent = "Did you mean ";
    var k = 0, shown = [];
    typed.split(/(\s+)/).forEach(function (part) {
      var fix = part && !/^\s+$/.test(part) ? fixes[k++] : null;
      if (fix) {
        var strong = document.createElement("strong");
        strong.textContent = fix;
        note.appendChild(strong);
      } else {
        note.appendChild(document.createTextNode(part));
      }
      shown.push(fix || part);
    });
    note.appendChild(document.createTextNode("?"));
    window.__ssDidYouMean = { typed: typed, corrected: shown.join("").trim() };
  }
  function fix(query) {
    var typed = query.replace(/-+(?=\s|$)/g, "");
    var parts = typed.split(/(\s+)/);
    var last = parts.length - 1;
    var fixes = [], plain = [];
    var out = parts.map(function (part, i) {
      if (!part || /^\s+$/.test(part)) return part;
      if (i !== last && stop.has(part.toLowerCase())) {
        fixes.push(null);
        plain.push(part);
        return "";
      }
      var sent = rewrite(part, i === last);
      fixes.push(sent[1]);   // one per word, in order: show() pairs them with the words
      plain.push(sent[1] || part);
      return sent[0];
    });
    show(typed.trim(), fixes);
    var pages = phrases(plain.join(" "));
    return out.join("") + Object.keys(pages).map(function (t) {
      return " " + t + "^" + pages[t];
    }).join("");
  }
  window.__ssQuery = fix;   // what the worker gets for a query (tests read it)
  var post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message) {
    var args = Array.prototype.slice.call(arguments);
    if (message && message.type === 2 && typeof message.data === "string")
      args[0] = Object.assign({}, message, { data: fix(message.data) });
    return post.apply(this, args);
  };
})();
