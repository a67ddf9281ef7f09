/**
 * Portal logs views.
 *
 * @packageDocumentation
 */
export {};
