// SessionGate sample: the dashboard's "Notes via the API proxy" panel (a public asset, /static/*).
// It calls the demo's backend API through the filter's proxy route /api/backend/*: the browser
// sends its session cookies (HttpOnly, unreadable here) and the filter forwards the call with
// "Authorization: Bearer <access token>". This script never holds a token.
(function () {
  'use strict';
  var panel = document.getElementById('api-notes');
  if (!panel) {
    return;
  }
  var url = panel.getAttribute('data-url');
  var list = document.getElementById('api-notes-list');
  var form = document.getElementById('api-notes-form');
  var status = document.getElementById('api-notes-status');

  function say(text) {
    status.textContent = text;
  }

  function show(notes) {
    list.replaceChildren();
    notes.forEach(function (note) {
      var item = document.createElement('li');
      item.textContent = note.text; // text, never HTML
      list.appendChild(item);
    });
    say(notes.length === 0 ? 'No notes yet.' : notes.length + ' note(s) from the API.');
  }

  function answer(response) {
    if (response.status === 401) {
      throw new Error('signed out (401): sign in again');
    }
    if (!response.ok) {
      throw new Error('the API answered ' + response.status);
    }
    return response.json();
  }

  function load() {
    return fetch(url, {credentials: 'same-origin', headers: {'Accept': 'application/json'}})
      .then(answer)
      .then(function (body) { show(body.notes); })
      .catch(function (e) { say(e.message); });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var input = form.elements.text;
    fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {'Content-Type': 'application/json', 'Accept': 'application/json'},
      body: JSON.stringify({text: input.value})
    })
      .then(answer)
      .then(function () { input.value = ''; return load(); })
      .catch(function (e) { say(e.message); });
  });

  load();
}());
