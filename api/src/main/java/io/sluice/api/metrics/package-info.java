/** Prometheus metrics of a node through Micrometer. */
package io.sluice.api.metrics;
