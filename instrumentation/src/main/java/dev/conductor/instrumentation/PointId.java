package dev.conductor.instrumentation;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the advice parameter that receives the index of the point being woven, as a constant bound
 * per point with {@code Advice.withCustomMapping()}: the advice learns which labels to read without
 * any lookup at run time.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
@interface PointId {}
