/**
 * The HTTP side of the filter: answers it writes itself, the request and response wrappers,
 * browser-navigation detection, the login redirect and the trusted view of a request's origin.
 * Nothing here is needed by application code.
 */
package io.github.sessiongate.web;
