package org.habeas.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a controller whose answers are HTML pages with the common header (the signed-in caller, the notification
 * bell). What every page's model holds is added to these controllers' calls and to the error pages only, so that
 * API calls pay nothing for a header they do not have.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Pages {
}
