/** Turns uploads into results: database, object storage, job queue and workers. */
package dev.vsa.processing;
