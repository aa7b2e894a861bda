package io.timbre.features;

import io.timbre.util.Identified;

/** Over what the top_db floor's maximum is taken. */
public enum TopDbUnit implements Identified {
  CLIP("clip"),
  SEGMENT("segment");

  private final String id;

  TopDbUnit(String id) {
    this.id = id;
  }

  @Override
  public String id() {
    return id;
  }

  public static TopDbUnit fromId(String id) {
    return Identified.parse(TopDbUnit.class, id, "top_db_unit");
  }
}
