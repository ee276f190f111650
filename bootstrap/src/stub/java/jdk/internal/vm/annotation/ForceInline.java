package jdk.internal.vm.annotation;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Compile-time stand-in for the JDK's annotation of this name, which {@code --release 17} does not
 * let the bootstrap module see. Only the name reaches the class files, and the JVM reads it by
 * name: this file is on the compiler's source path but never compiled into the agent (see the
 * bootstrap module's pom); at run time the name resolves to the JDK's own class.
 */
@Target({ElementType.METHOD, ElementType.CONSTRUCTOR})
@Retention(RetentionPolicy.RUNTIME)
public @interface ForceInline {}
