// Title suggestions for the product library's search box (progressive enhancement).
// Without JavaScript the form still works; with it, a listbox of titles appears as you type.
(function () {
  "use strict";
  var input = document.querySelector("[data-autocomplete-url]");
  if (!input || !window.fetch) { return; }
  var list = document.getElementById(input.getAttribute("aria-controls"));
  var status = document.getElementById("zoeken-suggesties-status");
  var timer = null;
  var active = -1;
  var items = [];

  function close() {
    list.hidden = true;
    list.innerHTML = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
    items = [];
  }

  function render(suggestions) {
    list.innerHTML = "";
    items = suggestions;
    suggestions.forEach(function (suggestion, index) {
      var option = document.createElement("li");
      option.id = "zoeken-suggestie-" + index;
      option.setAttribute("role", "option");
      option.className = "hubsearch-suggestion";
      var link = document.createElement("a");
      link.href = suggestion.url;
      link.textContent = suggestion.title;
      link.tabIndex = -1;
      option.appendChild(link);
      list.appendChild(option);
    });
    list.hidden = suggestions.length === 0;
    input.setAttribute("aria-expanded", suggestions.length ? "true" : "false");
    status.textContent = suggestions.length
      ? suggestions.length + " suggesties; gebruik pijltje omlaag om te kiezen."
      : "";
  }

  function highlight(index) {
    var options = list.querySelectorAll("[role=option]");
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].id);
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    var value = input.value.trim();
    if (value.length < 2) { close(); return; }
    timer = window.setTimeout(function () {
      var url = input.getAttribute("data-autocomplete-url") + "?q=" + encodeURIComponent(value);
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) { render(data.suggestions || []); })
        .catch(close);
    }, 150);
  });

  input.addEventListener("keydown", function (event) {
    if (!items.length) { return; }
    if (event.key === "ArrowDown") {
      event.preventDefault();
      highlight(Math.min(active + 1, items.length - 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      highlight(Math.max(active - 1, -1));
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.href = items[active].url;
    } else if (event.key === "Escape") {
      close();
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target !== input && !list.contains(event.target)) { close(); }
  });
})();
