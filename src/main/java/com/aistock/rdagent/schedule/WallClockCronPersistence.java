package com.aistock.rdagent.schedule;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.TimeZone;

import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.impl.jdbcjobstore.CronTriggerPersistenceDelegate;
import org.quartz.impl.jdbcjobstore.NoRecordFoundException;
import org.quartz.spi.OperableTrigger;

/**
 * Stores {@link WallClockCronTrigger}s in Quartz's cron table, as Quartz stores its own cron triggers, but under the
 * type {@value #TYPE}, so they load back as wall-clock triggers. Registered with the JDBC store through
 * {@code org.quartz.jobStore.driverDelegateInitString} (application.yml).
 */
public class WallClockCronPersistence extends CronTriggerPersistenceDelegate {

    /** {@code qrtz_triggers.trigger_type}: at most 8 characters. */
    static final String TYPE = "WALLCRON";

    @Override
    public String getHandledTriggerTypeDiscriminator() {
        return TYPE;
    }

    @Override
    public boolean canHandleTriggerType(OperableTrigger trigger) {
        return trigger instanceof WallClockCronTrigger;
    }

    @Override
    public TriggerPropertyBundle loadExtendedTriggerPropertiesFromResultSet(ResultSet rs, TriggerKey triggerKey)
            throws SQLException {
        String cron = rs.getString(COL_CRON_EXPRESSION);
        String zone = rs.getString(COL_TIME_ZONE_ID);
        if (cron == null || zone == null) {
            throw new NoRecordFoundException(triggerKey, schedNameLiteral, getClass());
        }
        // the store sets the misfire instruction it kept once the trigger is built
        return new TriggerPropertyBundle(new WallClockCronTrigger.Schedule(cron, TimeZone.getTimeZone(zone),
                Trigger.MISFIRE_INSTRUCTION_SMART_POLICY), null, null);
    }
}
