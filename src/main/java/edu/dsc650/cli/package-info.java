/**
 * The command line (picocli): {@code stream-data}, {@code run-query} and {@code report}, their
 * options and what a user reads: usage errors as one line, progress lines, exit codes, Ctrl-C and
 * SIGTERM. Commands check their options, build the objects of the layers below and map the outcome
 * to an exit code; they hold no logic of their own.
 */
package edu.dsc650.cli;
