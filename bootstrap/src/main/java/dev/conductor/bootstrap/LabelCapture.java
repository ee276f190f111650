package dev.conductor.bootstrap;

/**
 * Reads the label values of one instrumentation point from the objects of a call.
 *
 * <p>Implemented outside the bootstrap (by the compiled label expressions) and called on the host
 * thread: it must not allocate beyond boxing, must not block, and may throw, in which case the
 * recorder marks the event and keeps what was filled.
 */
public interface LabelCapture {

  /** A capture that reads nothing; used for points without label expressions. */
  LabelCapture NONE =
      new LabelCapture() {
        @Override
        public void capture(
            Event event,
            Object self,
            Object arg0,
            Object arg1,
            Object arg2,
            Object arg3,
            Object returned) {}
      };

  /**
   * @param returned the return value, or null at the start of a call and when it threw
   */
  void capture(
      Event event,
      Object self,
      Object arg0,
      Object arg1,
      Object arg2,
      Object arg3,
      Object returned);
}
