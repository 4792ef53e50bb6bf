package org.habeas.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RestController;

/**
 * Every controller that answers with pages is marked {@link Pages}, so that its pages get the header's model (the
 * caller, the bell), and no API controller is, so that API calls do not pay for it.
 */
class PagesMarkerTest {

    @Test
    void everyPageControllerAndNoApiControllerIsMarked() throws Exception {
        ClassPathScanningCandidateComponentProvider scan = new ClassPathScanningCandidateComponentProvider(false);
        scan.addIncludeFilter(new AnnotationTypeFilter(Controller.class));
        List<Class<?>> controllers = new java.util.ArrayList<>();
        for (var bean : scan.findCandidateComponents("org.habeas")) {
            controllers.add(Class.forName(bean.getBeanClassName()));
        }
        List<Class<?>> pages = controllers.stream().filter(c -> !c.isAnnotationPresent(RestController.class)).toList();
        List<Class<?>> apis = controllers.stream().filter(c -> c.isAnnotationPresent(RestController.class)).toList();
        assertThat(pages).hasSizeGreaterThan(10).allMatch(c -> c.isAnnotationPresent(Pages.class));
        assertThat(apis).hasSizeGreaterThan(10).noneMatch(c -> c.isAnnotationPresent(Pages.class));
    }
}
