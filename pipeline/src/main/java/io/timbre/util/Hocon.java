package io.timbre.util;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderClasspath;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigIncluderURL;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.File;
import java.net.URL;

/**
 * HOCON text that must stand on its own: a feature spec (its id hashes its own text) and config text read from a
 * bucket. An {@code include} there would make Typesafe Config read a local file, a classpath resource or fetch a URL
 * while parsing — from a file a user or a bucket handed over — so every form of include is refused.
 */
public final class Hocon {
  private Hocon() {}

  /**
   * Parses {@code text} (HOCON or JSON) without includes; substitutions are resolved.
   *
   * @throws ConfigException for text that is not HOCON, an include, or an unresolvable substitution
   */
  public static Config parseStandalone(String text, String origin) {
    return ConfigFactory.parseString(text, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF)
        .setOriginDescription(origin).setIncluder(new Refusing(origin))).resolve();
  }

  /** Refuses every include form: a plain includer that lacks the URL/file/classpath variants would still fetch. */
  private record Refusing(String origin) implements ConfigIncluder, ConfigIncluderFile, ConfigIncluderURL,
      ConfigIncluderClasspath {
    @Override
    public ConfigIncluder withFallback(ConfigIncluder fallback) {
      return this;
    }

    @Override
    public ConfigObject include(ConfigIncludeContext context, String what) {
      throw refused("\"" + what + "\"");
    }

    @Override
    public ConfigObject includeFile(ConfigIncludeContext context, File what) {
      throw refused("file(" + what + ")");
    }

    @Override
    public ConfigObject includeURL(ConfigIncludeContext context, URL what) {
      throw refused("url(" + what + ")");
    }

    @Override
    public ConfigObject includeResources(ConfigIncludeContext context, String what) {
      throw refused("classpath(" + what + ")");
    }

    private ConfigException refused(String what) {
      return new ConfigException.Generic(origin + ": include " + what + " is not allowed here; write the settings "
          + "into this file");
    }
  }
}
