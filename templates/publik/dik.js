(function () {
  "use strict";
  var form = document.getElementById("cari");
  var q = document.getElementById("q");
  var opd = document.getElementById("opd");
  var jumlah = document.getElementById("jumlah");
  var kosong = document.getElementById("kosong");
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.butir"));
  function norm(s) {
    return (s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  // What a search looks in: the values, the end date and the blacked-out part of each row and
  // its OPD code, not the glosses of the grounds (those would match every item on one ground).
  var texts = rows.map(function (r) {
    var parts = Array.prototype.map.call(
      r.querySelectorAll(".v, .berakhir, .hitam"), function (el) { return el.textContent; });
    parts.push(r.getAttribute("data-opd"));
    return norm(parts.join(" "));
  });
  // A hash with "=" is a filter (#opd=DINKES&q=...); any other (#pasal17-h) is an anchor.
  function filterHash() { return location.hash.indexOf("=") !== -1; }
  function saveToUrl(code, words) {
    var p = new URLSearchParams();
    if (code) { p.set("opd", code); }
    if (words) { p.set("q", words); }
    var h = p.toString();
    if (!h && !filterHash()) { return; }  // leave an anchor (or no hash) as it is
    try {
      history.replaceState(null, "", h ? "#" + h : location.pathname + location.search);
    } catch (e) { /* file:// or an old browser: the filter still works */ }
  }
  function apply() {
    var words = norm(q.value).split(/\s+/).filter(Boolean);
    var code = opd.value;
    var shown = 0;
    rows.forEach(function (r, i) {
      var ok = (!code || r.getAttribute("data-opd") === code) &&
        words.every(function (w) { return texts[i].indexOf(w) !== -1; });
      r.hidden = !ok;
      if (ok) { shown += 1; }
    });
    jumlah.textContent = "Menampilkan " + shown + " dari " + rows.length + " informasi";
    kosong.hidden = shown !== 0;
    saveToUrl(code, q.value.trim());
  }
  function fromUrl() {
    var raw = location.hash.length > 1 ? location.hash.slice(1) : location.search.slice(1);
    var p = new URLSearchParams(raw);
    var want = norm(p.get("opd"));
    if (want) {
      Array.prototype.forEach.call(opd.options, function (o) {
        if (o.value && (norm(o.value) === want || norm(o.text) === want)) { opd.value = o.value; }
      });
    }
    if (p.get("q")) { q.value = p.get("q"); }
  }
  form.hidden = false;
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  q.addEventListener("input", apply);
  opd.addEventListener("change", apply);
  window.addEventListener("hashchange", function () {
    if (location.hash.length > 1 && !filterHash()) { return; }  // a jump to an anchor
    fromUrl();
    apply();
  });
  fromUrl();
  apply();
}());
