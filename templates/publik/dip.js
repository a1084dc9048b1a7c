(function () {
  "use strict";
  var form = document.getElementById("cari");
  var q = document.getElementById("q");
  var opd = document.getElementById("opd");
  var jenis = document.getElementById("jenis");
  var jumlah = document.getElementById("jumlah");
  var kosong = document.getElementById("kosong");
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.butir"));
  function norm(s) {
    return (s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var texts = rows.map(function (r) {
    var parts = Array.prototype.map.call(r.querySelectorAll(".v"), function (el) {
      return el.textContent;
    });
    parts.push(r.getAttribute("data-opd"));
    return norm(parts.join(" "));
  });
  // A hash with "=" is a filter (#opd=DINKES&jenis=berkala&q=...); any other is an anchor.
  function filterHash() { return location.hash.indexOf("=") !== -1; }
  function saveToUrl(code, kind, words) {
    var p = new URLSearchParams();
    if (code) { p.set("opd", code); }
    if (kind) { p.set("jenis", kind); }
    if (words) { p.set("q", words); }
    var h = p.toString();
    if (!h && !filterHash()) { return; }
    try {
      history.replaceState(null, "", h ? "#" + h : location.pathname + location.search);
    } catch (e) { /* file:// or an old browser: the filter still works */ }
  }
  function apply() {
    var words = norm(q.value).split(/\s+/).filter(Boolean);
    var code = opd.value;
    var kind = jenis.value;
    var shown = 0;
    rows.forEach(function (r, i) {
      var ok = (!code || r.getAttribute("data-opd") === code) &&
        (!kind || r.getAttribute("data-jenis") === kind) &&
        words.every(function (w) { return texts[i].indexOf(w) !== -1; });
      r.hidden = !ok;
      if (ok) { shown += 1; }
    });
    jumlah.textContent = "Menampilkan " + shown + " dari " + rows.length + " informasi";
    kosong.hidden = shown !== 0;
    saveToUrl(code, kind, q.value.trim());
  }
  function pick(select, want) {
    Array.prototype.forEach.call(select.options, function (o) {
      if (o.value && (norm(o.value) === want || norm(o.text) === want)) { select.value = o.value; }
    });
  }
  function fromUrl() {
    var raw = location.hash.length > 1 ? location.hash.slice(1) : location.search.slice(1);
    var p = new URLSearchParams(raw);
    if (p.get("opd")) { pick(opd, norm(p.get("opd"))); }
    if (p.get("jenis")) { pick(jenis, norm(p.get("jenis"))); }
    if (p.get("q")) { q.value = p.get("q"); }
  }
  form.hidden = false;
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  q.addEventListener("input", apply);
  opd.addEventListener("change", apply);
  jenis.addEventListener("change", apply);
  window.addEventListener("hashchange", function () {
    if (location.hash.length > 1 && !filterHash()) { return; }
    fromUrl();
    apply();
  });
  fromUrl();
  apply();
}());
