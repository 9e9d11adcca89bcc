// Django's tabular inlines leave header cells empty (the column that names each row's object
// and, without delete permission, the delete column). Give each a name that screen readers
// announce, without changing what sighted users see.
document.querySelectorAll("table thead th").forEach(function (th) {
  if (th.textContent.trim() !== "") return;
  var label = document.createElement("span");
  label.textContent = th.classList.contains("original") ? "Item" : "Actions";
  label.className = "visually-hidden";
  th.appendChild(label);
});

// Inputs in a tabular inline have no <label>: name each after its column (and row), so that
// "Name, area 2" is read out instead of an anonymous text box.
document.querySelectorAll(".tabular table").forEach(function (table) {
  var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
    return th.textContent.trim();
  });
  table.querySelectorAll("tbody tr.form-row").forEach(function (row, rowIndex) {
    Array.prototype.forEach.call(row.children, function (cell, column) {
      cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (field) {
        if (field.labels && field.labels.length) return;
        if (field.getAttribute("aria-label")) return;
        var name = headers[column] || field.name;
        field.setAttribute("aria-label", name + ", row " + (rowIndex + 1));
      });
    });
  });
});
