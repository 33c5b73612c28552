// The message box: buttons that insert a glossary term or an @mention where the cursor is.
// The page works without it: the lists beside the box show the terms and the handles to type.
(function () {
  "use strict";
  var box = document.getElementById("id_msg-body");
  if (!box) return;
  var buttons = Array.prototype.slice.call(document.querySelectorAll("button[data-insert]"));

  function insert(text) {
    var start = typeof box.selectionStart === "number" ? box.selectionStart : box.value.length;
    var end = typeof box.selectionEnd === "number" ? box.selectionEnd : start;
    var before = box.value.slice(0, start);
    var after = box.value.slice(end);
    var spaced = before && !/\s$/.test(before) ? " " + text : text;
    box.value = before + spaced + after;
    var at = before.length + spaced.length;
    box.focus();
    box.setSelectionRange(at, at);
  }

  buttons.forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { insert(button.dataset.insert); });
  });
})();
