// A file over the size limit is refused before anything is sent: the error shows next to its field, and everything
// typed into the form stays as it was. Without scripts, the server refuses the upload and says so the same way.
document.addEventListener('submit', function (event) {
  var inputs = event.target.querySelectorAll('input[type=file][data-max-bytes]');
  for (var i = 0; i < inputs.length; i++) {
    var input = inputs[i];
    var max = Number(input.getAttribute('data-max-bytes'));
    var tooLarge = Array.prototype.some.call(input.files || [], function (f) { return f.size > max; });
    if (!tooLarge) {
      continue;
    }
    event.preventDefault();
    var id = input.id + '-error';
    var shown = document.getElementById(id);
    if (!shown) {
      shown = document.createElement('p');
      shown.id = id;
      shown.className = 'error field-error';
      shown.setAttribute('role', 'alert');
      input.insertAdjacentElement('afterend', shown);
    }
    shown.textContent = input.getAttribute('data-too-large');
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', id);
    input.focus();
    return;
  }
}, true);
