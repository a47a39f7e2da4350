package io.cmstream.detector.model;

/** One output class of the model: its label-map id and name, in score-column order. */
public record ActionClass(int id, String name) {}
