/**
 * The filter's figures as Micrometer meters ({@code sessiongate.*}): the only package that imports
 * Micrometer, loaded by the engine only once Micrometer was found on the class path. Not exported.
 */
package io.github.sessiongate.audit.micrometer;
