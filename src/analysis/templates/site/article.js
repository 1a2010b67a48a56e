// The annotated article: a numbered mark (or a highlight) opens its claim's verdict card.
// Cards are reached by their anchor (#card-ID), so keyboard, history and file:// all work; with this
// script only the selected card is shown, beside the text; without it every card is listed.
(function () {
  var cards = Array.prototype.slice.call(document.querySelectorAll(".cards .card"));
  if (!cards.length) { return; }
  var marks = Array.prototype.slice.call(document.querySelectorAll("mark.hl"));
  var chips = Array.prototype.slice.call(document.querySelectorAll("a.chip"));
  var hint = document.getElementById("cards-hint");
  function open(id, focus) {
    var shown = null;
    cards.forEach(function (card) {
      var on = card.id === "card-" + id;
      card.hidden = !on;
      if (on) { shown = card; }
    });
    marks.forEach(function (mark) {
      mark.classList.toggle("current", (" " + mark.getAttribute("data-claims") + " ").indexOf(" " + id + " ") >= 0);
    });
    chips.forEach(function (chip) { chip.classList.toggle("current", chip.getAttribute("data-claim") === id); });
    hint.hidden = shown !== null;
    if (shown && focus) { shown.focus(); }
  }
  function fromHash(focus) {
    var target = decodeURIComponent(window.location.hash.slice(1));
    open(target.indexOf("card-") === 0 ? target.slice(5) : "", focus);
  }
  marks.forEach(function (mark) {
    mark.addEventListener("click", function () {
      var ids = mark.getAttribute("data-claims").split(" ");
      window.location.hash = "card-" + ids[ids.length - 1];
    });
  });
  window.addEventListener("hashchange", function () { fromHash(true); });
  fromHash(false);
})();
