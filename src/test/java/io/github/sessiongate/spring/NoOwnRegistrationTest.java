package io.github.sessiongate.spring;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.SessionFilter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.ResolvableType;

/** Only the application's own registration turns the auto-configuration off, not its own filter bean. */
class NoOwnRegistrationTest {
    @Test
    void aSessionFilterBeanOfTheApplicationKeepsTheAutoConfiguration() {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerBeanDefinition("myFilter", new RootBeanDefinition(SessionFilter.class));

        assertFalse(NoOwnRegistration.hasOwnRegistration(beans), "the auto-configuration registers the application's filter");
    }

    @Test
    void aRegistrationOfTheApplicationTurnsItOff() {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        RootBeanDefinition registration = new RootBeanDefinition(FilterRegistrationBean.class);
        registration.setTargetType(ResolvableType.forClassWithGenerics(FilterRegistrationBean.class, SessionFilter.class));
        beans.registerBeanDefinition("myRegistration", registration);

        assertTrue(NoOwnRegistration.hasOwnRegistration(beans));
    }

    @Test
    void aRegistrationOfAnotherFilterDoesNot() {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        RootBeanDefinition registration = new RootBeanDefinition(FilterRegistrationBean.class);
        registration.setTargetType(ResolvableType.forClassWithGenerics(FilterRegistrationBean.class, jakarta.servlet.Filter.class));
        beans.registerBeanDefinition("other", registration);

        assertFalse(NoOwnRegistration.hasOwnRegistration(beans));
    }
}
