// placeholder, replaced below
#include <QTest>
class TestSettingsApply : public QObject { Q_OBJECT };
QTEST_MAIN(TestSettingsApply)
#include "tst_settings_apply.moc"
