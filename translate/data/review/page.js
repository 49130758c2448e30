// Filtering and sorting for the review page. State lives in the URL hash
// (#flag=any&sev=major&state=edited&terms=bad&metric=chrf&max=50&sort=-chrf&q=text) so a view
// can be bookmarked or shared. Rows carry what the filters read: data-flags, data-sev,
// data-state and data-terms (the last two kept live by edit.js), data-s-<metric>.
var Review = window.Review || {};
window.Review = Review;
(function (R) {
  "use strict";
  var tbody = document.querySelector("#segments tbody");
  var rows = Array.prototype.slice.call(tbody.querySelectorAll("tr.seg"));
  var ids = ["flag", "sev", "state", "terms", "q", "metric", "min", "max", "sort"];
  var controls = {};
  ids.forEach(function (name) { controls[name] = document.getElementById("f-" + name); });
  var defaults = {
    flag: "all", sev: "all", state: "all", terms: "all", q: "", metric: controls.metric.value,
    min: "", max: "", sort: "doc"
  };
  var order = "doc";

  function has(row, attr, token) {
    return (" " + (row.getAttribute(attr) || "") + " ").indexOf(" " + token + " ") >= 0;
  }
  function searchText(row) {
    var area = row.querySelector('[data-role="target"]');
    return (row.querySelector(".src").textContent + "\n" + (area ? area.textContent : "")).toLowerCase();
  }

  function readHash() {
    var state = {};
    ids.forEach(function (name) { state[name] = defaults[name]; });
    location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
      if (!pair) { return; }
      var eq = pair.indexOf("=");
      var key = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
      var value = eq < 0 ? "" : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, " "));
      if (key === "filter") { key = "flag"; value = value === "flagged" ? "any" : value; }
      if (Object.prototype.hasOwnProperty.call(defaults, key)) { state[key] = value; }
    });
    return state;
  }

  function readControls() {
    var state = {};
    ids.forEach(function (name) { state[name] = controls[name].value; });
    return state;
  }

  function writeHash(state) {
    var parts = [];
    ids.forEach(function (name) {
      if (state[name] !== defaults[name]) {
        parts.push(name + "=" + encodeURIComponent(state[name]));
      }
    });
    history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname + location.search);
  }

  function score(row, metric) {
    var value = row.getAttribute("data-s-" + metric);
    return value === null ? null : parseFloat(value);
  }

  function visible(row, state) {
    var flags = row.getAttribute("data-flags");
    if (state.flag === "any" && !flags) { return false; }
    if (state.flag === "none" && flags) { return false; }
    if (state.flag !== "all" && state.flag !== "any" && state.flag !== "none" &&
        (" " + flags + " ").indexOf(" " + state.flag + " ") < 0) { return false; }
    if (state.sev !== "all" && !has(row, "data-sev", state.sev)) { return false; }
    if (state.state !== "all" && !has(row, "data-state", state.state)) { return false; }
    if (state.terms !== "all" && row.getAttribute("data-terms") !== state.terms) { return false; }
    if (state.q && searchText(row).indexOf(state.q.toLowerCase()) < 0) { return false; }
    if (state.min !== "" || state.max !== "") {
      var value = score(row, state.metric);
      if (value === null) { return false; }
      if (state.min !== "" && value < parseFloat(state.min)) { return false; }
      if (state.max !== "" && value > parseFloat(state.max)) { return false; }
    }
    return true;
  }

  function sortKey(row, sort) {
    var desc = sort.charAt(0) === "-";
    var key = desc ? sort.slice(1) : sort;
    var value;
    if (key === "doc") { value = parseInt(row.getAttribute("data-i"), 10); }
    else if (key === "flags") { value = -parseInt(row.getAttribute("data-nflags"), 10); }
    else { value = score(row, key); }
    if (value === null || isNaN(value)) { return Infinity; }
    return desc ? -value : value;
  }

  // Show the rows `state` selects; rows are moved only when the sort order changes.
  function render(state) {
    ids.forEach(function (name) { controls[name].value = state[name]; });
    if (state.sort !== order) {
      var sorted = rows.slice().sort(function (a, b) {
        return (sortKey(a, state.sort) - sortKey(b, state.sort)) ||
          (parseInt(a.getAttribute("data-i"), 10) - parseInt(b.getAttribute("data-i"), 10));
      });
      var frag = document.createDocumentFragment();
      sorted.forEach(function (row) { frag.appendChild(row); });
      tbody.appendChild(frag);
      order = state.sort;
    }
    var shown = 0;
    rows.forEach(function (row) {
      var show = visible(row, state);
      if (row.hidden === show) { row.hidden = !show; }
      if (show) { shown += 1; }
    });
    document.querySelectorAll("th[data-sort]").forEach(function (th) {
      var key = th.getAttribute("data-sort");
      th.classList.toggle("sorted-asc", state.sort === key && key !== "doc");
      th.classList.toggle("sorted-desc", state.sort === "-" + key);
      th.setAttribute("aria-sort", state.sort === key ? "ascending" : state.sort === "-" + key ? "descending" : "none");
    });
    document.getElementById("count").textContent = "Showing " + shown + " of " + rows.length + " segments";
    document.getElementById("empty").hidden = shown > 0;
    document.getElementById("segments").setAttribute("data-visible", String(shown));
  }

  function fromControls() {
    var state = readControls();
    writeHash(state);
    render(state);
  }

  // After an editor's decision: the same view, with rows whose state changed shown or hidden.
  R.refilter = function () { render(readControls()); };
  ids.forEach(function (name) {
    controls[name].addEventListener(name === "q" || name === "min" || name === "max" ? "input" : "change", fromControls);
  });
  document.getElementById("f-reset").addEventListener("click", function () {
    writeHash(defaults);
    render(defaults);
  });
  document.querySelectorAll("th[data-sort]").forEach(function (th) {
    th.tabIndex = 0;
    th.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); th.click(); }
    });
    th.addEventListener("click", function () {
      var key = th.getAttribute("data-sort");
      var current = controls.sort.value;
      controls.sort.value = current === key ? "-" + key : key;
      fromControls();
    });
  });
  function stickHeader() {
    var bar = document.querySelector("nav.toolbar");
    document.documentElement.style.setProperty("--bar-h", bar.offsetHeight + "px");
  }
  window.addEventListener("resize", stickHeader);
  stickHeader();
  window.addEventListener("hashchange", function () { render(readHash()); });
  render(readHash());
  document.documentElement.setAttribute("data-ready", "1");
  if (window.performance && performance.mark) { performance.mark("review-ready"); }
}(Review));
