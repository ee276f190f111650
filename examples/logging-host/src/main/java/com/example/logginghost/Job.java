package com.example.logginghost;

/** A unit of work, enqueued on one thread and run on another. */
public record Job(String id, String type) {}
