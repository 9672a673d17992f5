/* sort.js - sort the students' table by the column whose heading is clicked
 * (again: the other way). The order is kept in the address, #sort=KEY:asc or
 * #sort=KEY:desc, so that a sorted view can be bookmarked. Cells with a
 * data-v sort as numbers, those without one (errors) last; ties by name. */
(function () {
  var table = document.getElementById('students-table');
  if (!table) return;
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  function key(cell) {
    return cell.hasAttribute('data-v') ? Number(cell.getAttribute('data-v')) : cell.textContent.trim().toLowerCase();
  }
  function sort(column, direction) {
    var sign = direction === 'desc' ? -1 : 1;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[column]), y = key(b.cells[column]);
      if (typeof x !== typeof y) return typeof x === 'number' ? -1 : 1;
      var order = x < y ? -1 : x > y ? 1 : 0;
      return sign * order || (key(a.cells[0]) < key(b.cells[0]) ? -1 : 1);
    });
    rows.forEach(function (row) { body.appendChild(row); });
    heads.forEach(function (th, i) {
      if (i === column) th.setAttribute('aria-sort', direction === 'desc' ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    });
  }
  function fromAddress() {
    var match = /^#sort=([^:]+):(asc|desc)$/.exec(decodeURIComponent(location.hash));
    if (!match) return;
    var column = heads.findIndex(function (th) { return th.dataset.key === match[1]; });
    if (column >= 0) sort(column, match[2]);
  }
  table.tHead.addEventListener('click', function (event) {
    var th = event.target.closest('th');
    if (!th) return;
    var direction = th.getAttribute('aria-sort') === 'ascending' ? 'desc' : 'asc';
    location.hash = 'sort=' + th.dataset.key + ':' + direction;
  });
  window.addEventListener('hashchange', fromAddress);
  fromAddress();
})();
