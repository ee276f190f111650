package dev.conductor.instrumentation.weave;

import java.util.Set;

/**
 * Weave {@code hook} into the methods {@code methods} selects of the classes {@code types} selects.
 */
record Rule(TypeMatch types, MethodMatch methods, Hook hook) {

  /**
   * Which classes: the one named {@code name} ({@code exact}), or every class that is or extends or
   * implements it, except those that are or extend {@code unless}. Interfaces are never woven.
   */
  record TypeMatch(String name, boolean exact, String unless) {
    /** Every class: for rules that select methods by annotation. */
    static TypeMatch any() {
      return new TypeMatch(null, false, null);
    }

    static TypeMatch named(String name) {
      return new TypeMatch(name, true, null);
    }

    static TypeMatch subtypesOf(String name) {
      return new TypeMatch(name, false, null);
    }

    TypeMatch unless(String supertype) {
      return new TypeMatch(name, exact, supertype);
    }

    /**
     * @param className the class's binary name
     * @param supertypes the names this matcher asked about that the class is, extends or implements
     */
    boolean matches(String className, Set<String> supertypes) {
      if (name == null) {
        return true;
      }
      if (exact) {
        return name.equals(className);
      }
      return supertypes.contains(name) && (unless == null || !supertypes.contains(unless));
    }
  }

  /**
   * Which methods: those annotated with {@code annotation} (a descriptor) when it is set, else
   * constructors ({@code constructor}), or methods named one of {@code names}; with {@code
   * parameters} parameters unless it is negative, and a first parameter of descriptor {@code
   * firstParameter} unless it is null. Abstract, native, bridge and synthetic methods are never
   * woven.
   */
  record MethodMatch(
      Set<String> names,
      boolean constructor,
      int parameters,
      String firstParameter,
      String annotation) {
    static MethodMatch named(Set<String> names) {
      return new MethodMatch(Set.copyOf(names), false, -1, null, null);
    }

    static MethodMatch named(Set<String> names, int parameters) {
      return new MethodMatch(Set.copyOf(names), false, parameters, null, null);
    }

    static MethodMatch named(String name, int parameters) {
      return new MethodMatch(Set.of(name), false, parameters, null, null);
    }

    static MethodMatch named(String name, String onlyParameter) {
      return new MethodMatch(Set.of(name), false, 1, onlyParameter, null);
    }

    static MethodMatch constructors() {
      return new MethodMatch(Set.of(), true, -1, null, null);
    }

    /** Methods (not constructors) carrying the annotation of descriptor {@code descriptor}. */
    static MethodMatch annotatedWith(String descriptor) {
      return new MethodMatch(Set.of(), false, -1, null, descriptor);
    }

    /**
     * Whether a method of this name may match, before its descriptor and annotations are known:
     * false lets the weaver skip reading the method's code.
     */
    boolean mayMatch(String name) {
      if (annotation != null) {
        return !name.startsWith("<");
      }
      return name.equals("<init>") ? constructor : names.contains(name);
    }

    /**
     * @param annotations the descriptors of the method's runtime-visible annotations
     */
    boolean matches(String name, String descriptor, Set<String> annotations) {
      if (annotation != null) {
        return !name.startsWith("<") && annotations.contains(annotation);
      }
      if (name.equals("<init>") != constructor || !constructor && !names.contains(name)) {
        return false;
      }
      if (parameters < 0 && firstParameter == null) {
        return true;
      }
      org.objectweb.asm.Type[] types = org.objectweb.asm.Type.getArgumentTypes(descriptor);
      return (parameters < 0 || types.length == parameters)
          && (firstParameter == null
              || types.length > 0 && types[0].getDescriptor().equals(firstParameter));
    }
  }
}
