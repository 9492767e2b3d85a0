/** The HTTP API over processing's services. */
package dev.vsa.server;
