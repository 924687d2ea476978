(function () {
  "use strict";
  var text = document.getElementById("text");
  var back = document.getElementById("back");
  var lit = [];
  var from = null; // the link last followed: where "back" returns to on a one-column page
  // Highlight every piece of a target (a span split where marks cross) and bring it into view.
  function show(key) {
    lit.forEach(function (el) { el.classList.remove("hl"); });
    lit = Array.prototype.slice.call(text.querySelectorAll('[data-k="' + key + '"]'));
    lit.forEach(function (el) { el.classList.add("hl"); });
    if (lit.length) { lit[0].scrollIntoView({ block: "center", inline: "nearest" }); }
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-k]");
    if (!link) { return; }
    event.preventDefault();
    from = link;
    back.hidden = false;
    show(link.getAttribute("data-k"));
  });
  back.addEventListener("click", function () {
    if (from) { from.scrollIntoView({ block: "center" }); from.focus(); }
  });
  Array.prototype.forEach.call(document.querySelectorAll("input[data-filter]"), function (box) {
    box.addEventListener("change", function () {
      document.body.classList.toggle(box.getAttribute("data-filter"), box.checked);
    });
  });
  if (/^#[sr]\d+$/.test(location.hash)) { show(location.hash.slice(1)); }
})();
